/**
 * The provider's release, checked once at start-up (docs/providers.md lists what each provider
 * needs). A release the POS refuses stops the Node entry with one line, and makes every route that
 * would ask the provider answer 503 with that line; a provider that cannot be reached at start-up
 * is asked again with the next request.
 */
import { ApiError } from './errors';
import type { Logger } from './log';
import { ProviderVersionError, type Provider } from './providers/provider';

const CHECK_DEADLINE_MS = 5_000;

export class VersionGate {
  /**
   * Only the outcome is kept, never a check in flight: on Workers a request may not wait on I/O
   * another request started (it would never resolve), so until the outcome is known each request
   * checks for itself.
   */
  private verdict: 'supported' | ProviderVersionError | undefined;

  constructor(
    private readonly provider: Provider,
    private readonly log: Logger,
  ) {}

  /** Resolves once the release is known to be supported; rejects with ProviderVersionError when it is refused. */
  async check(): Promise<void> {
    if (this.verdict === 'supported') return;
    if (this.verdict) throw this.verdict;
    if (!this.provider.checkVersion) {
      this.verdict = 'supported';
      return;
    }
    try {
      await this.provider.checkVersion({ signal: AbortSignal.timeout(CHECK_DEADLINE_MS), purpose: 'checkout' });
      this.verdict = 'supported';
    } catch (error) {
      if (error instanceof ProviderVersionError) throw (this.verdict = error);
      // Not refused, only not reachable now: the next request asks again.
      this.log.warn('provider release not checked yet', { provider: this.provider.id, error });
    }
  }

  /** For routes that ask the provider: 503 with the refusal's one line. */
  async ready(): Promise<void> {
    try {
      await this.check();
    } catch (error) {
      if (error instanceof ProviderVersionError) throw new ApiError(503, 'provider_unavailable', error.message);
      throw error;
    }
  }
}
