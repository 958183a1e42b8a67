/**
 * What a fake LNbits stores: one wallet's `apipayments` rows (msat amounts, LNbits' statuses),
 * and what its funding source answers when LNbits re-checks a pending payment.
 */
import * as z from 'zod/mini';
import { issueBolt11 } from '../common';
import type { LnbitsMode } from './versions';

export type PaymentStatus = 'pending' | 'success' | 'failed';

/** One row of LNbits' `apipayments`, in our own names and units. */
export interface FakePayment {
  checkingId: string;
  paymentHash: string;
  walletId: string;
  bolt11: string;
  /** Positive for incoming, negative for outgoing (LNbits' sign convention). */
  amountMsat: number;
  /** Zero or negative: LNbits stores `-abs(fee)`. */
  feeMsat: number;
  status: PaymentStatus;
  memo: string | null;
  /** Unix ms when the BOLT11 expires. */
  expiryMs: number;
  webhook: string | null;
  /** The webhook's HTTP status as a string, "-1" when it could not be delivered, null before. */
  webhookStatus: string | null;
  /** Revealed when the payment succeeds. */
  preimage: string | null;
  tag: string | null;
  extra: Record<string, unknown>;
  timeMs: number;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A payment the POS did not make: a LNURL or an invoice made in the LNbits UI paid, or the wallet paid out. */
export const ExternalPaymentInput = z.object({
  /** What moved, without the fee; positive. */
  amountMsat: z.int().check(z.positive()),
  /** 'in' (default) or 'out': the wallet paid someone, so the amount is stored negative. */
  direction: z.optional(z.enum(['in', 'out'])),
  /** Default 'success'. */
  status: z.optional(z.enum(['pending', 'success', 'failed'])),
  memo: z.optional(z.nullable(z.string())),
  /** Unix ms; default now. */
  timeMs: z.optional(z.number()),
  extra: z.optional(z.record(z.string(), z.unknown())),
  /** The extension that made it, e.g. 'lnurlp'. */
  tag: z.optional(z.nullable(z.string())),
});
export type ExternalPaymentInput = z.input<typeof ExternalPaymentInput>;

export interface NewIncoming {
  amountMsat: number;
  memo: string;
  expirySec: number;
  webhook: string | null;
  extra: Record<string, unknown>;
  status?: PaymentStatus;
  tag?: string | null;
  timeMs?: number;
}

export class LnbitsState {
  readonly walletId: string;
  private readonly rows: { payment: FakePayment; preimage: string }[] = [];

  constructor(
    private readonly mode: LnbitsMode,
    walletId: string,
  ) {
    this.walletId = walletId;
  }

  /** A new row with a freshly signed BOLT11 (the memo as its description). */
  add(input: NewIncoming): FakePayment {
    const issued = issueBolt11({ amountMsat: BigInt(Math.abs(input.amountMsat)), description: input.memo, expirySec: input.expirySec });
    const timeMs = input.timeMs ?? Date.now();
    const status = input.status ?? 'pending';
    const payment: FakePayment = {
      // FakeWallet uses the payment hash as checking_id (`lnbits/wallets/fake.py`, v1.4.0).
      checkingId: issued.paymentHash,
      paymentHash: issued.paymentHash,
      walletId: this.walletId,
      bolt11: issued.paymentRequest,
      amountMsat: input.amountMsat,
      feeMsat: 0,
      status,
      memo: input.memo,
      expiryMs: (issued.timestamp + input.expirySec) * 1000,
      webhook: input.webhook,
      webhookStatus: null,
      preimage: status === 'success' ? issued.preimage : null,
      tag: input.tag ?? null,
      extra: input.extra,
      timeMs,
      createdAtMs: timeMs,
      updatedAtMs: timeMs,
    };
    this.rows.push({ payment, preimage: issued.preimage });
    return payment;
  }

  addExternal(input: ExternalPaymentInput): FakePayment {
    const parsed = z.parse(ExternalPaymentInput, input);
    const sign = parsed.direction === 'out' ? -1 : 1;
    return this.add({
      amountMsat: sign * parsed.amountMsat,
      memo: parsed.memo ?? '',
      expirySec: 3600,
      webhook: null,
      extra: parsed.extra ?? {},
      status: parsed.status ?? 'success',
      tag: parsed.tag ?? null,
      ...(parsed.timeMs === undefined ? {} : { timeMs: parsed.timeMs }),
    });
  }

  find(hash: string): FakePayment | undefined {
    return this.rows.find((row) => row.payment.paymentHash === hash || row.payment.checkingId === hash)?.payment;
  }

  all(): FakePayment[] {
    return this.rows.map((row) => row.payment);
  }

  /**
   * The customer pays. A payment the funding source has marked failed can still succeed when the
   * node reports it paid: `lnbits/tasks.py` invoice_callback_dispatcher (v1.4.0) sets SUCCESS on
   * whatever row the paid stream names, without looking at its status.
   */
  settle(hash: string): FakePayment {
    const row = this.rows.find((r) => r.payment.paymentHash === hash);
    if (!row) throw new Error(`fake LNbits: no payment ${hash}`);
    row.payment.status = 'success';
    row.payment.preimage = row.preimage;
    row.payment.updatedAtMs = Date.now();
    return row.payment;
  }

  /**
   * LNbits re-checks a pending payment with its funding source on every status read
   * (`lnbits/core/views/payment_api.py` api_payment → `services/payments.py`
   * update_pending_payment, v1.4.0) and stores `failed` when the source says so.
   */
  recheck(payment: FakePayment): void {
    if (payment.status !== 'pending' || payment.amountMsat < 0) return;
    if (this.mode.expiredInvoices === 'fail' && Date.now() >= payment.expiryMs) {
      payment.status = 'failed';
      payment.updatedAtMs = Date.now();
    }
  }
}
