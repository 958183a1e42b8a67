import { localDateAt } from '../../../contract/dates';
import { useAppConfig } from '../../app/config';
import { useNow } from '../../lib/useNow';

/** The store's date now, in its own time zone; it turns over at the store's midnight. */
export function useToday(): string {
  const { timezone } = useAppConfig();
  return localDateAt(useNow(60_000), timezone);
}
