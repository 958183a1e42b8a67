import { createContext, useContext } from 'react';
import type { AppConfig } from '../../contract/api';

const ConfigContext = createContext<AppConfig | null>(null);

export const ConfigProvider = ConfigContext.Provider;

/** The proxy's start-up config; the app renders nothing that needs it before it is loaded. */
export function useAppConfig(): AppConfig {
  const config = useContext(ConfigContext);
  if (!config) throw new Error('useAppConfig outside ConfigProvider');
  return config;
}
