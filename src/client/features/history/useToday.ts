import { localDateAt } from '../../../contract/dates';
import { useConfig } from '../../api/config';
import { useNow } from '../../lib/useNow';

/** The store's date now, in its own time zone; it turns over at the store's midnight. */
export function useToday(): string {
  const { timezone } = useConfig();
  return localDateAt(useNow(60_000), timezone);
}
