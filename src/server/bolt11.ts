/**
 * BOLT11 payment requests: reading what a provider issued (amount, hash, expiry), and issuing
 * signed ones for the demo wallet and the test fakes. Both directions are libraries: decoding
 * with `light-bolt11-decoder`, encoding and secp256k1 signing with `@atomiqlabs/bolt11`
 * (the bitcoinjs codec on the audited noble curves).
 */
import { encode, sign } from '@atomiqlabs/bolt11';
import { decode } from 'light-bolt11-decoder';
import { LruCache } from './lru';

export interface DecodedPaymentRequest {
  /** The bech32 currency prefix after `ln`: `bc`, `tb`, `tbs`, `bcrt`. */
  network: string;
  /** Amount in millisatoshis, or null for an amountless request. */
  amountMsat: bigint | null;
  paymentHash: string;
  description: string | undefined;
  /** Unix milliseconds of the request's own timestamp. */
  createdAt: number;
  /** Unix milliseconds: timestamp + expiry (default 3600 s, BOLT11). */
  expiresAt: number;
}

/** BOLT11: without an `x` field a request expires 3600 seconds after its timestamp. */
const DEFAULT_EXPIRY_SEC = 3600;

export class InvalidPaymentRequest extends Error {
  constructor(reason: string) {
    super(`Invalid BOLT11 payment request: ${reason}`);
    this.name = 'InvalidPaymentRequest';
  }
}

/** A status poll decodes the same request again and again: once per request is enough. */
const decodedRequests = new LruCache<string, DecodedPaymentRequest>(2_000);

/** Reads the fields the POS relies on; throws InvalidPaymentRequest on anything malformed. */
export function decodePaymentRequest(paymentRequest: string): DecodedPaymentRequest {
  const known = decodedRequests.get(paymentRequest);
  if (known) return known;
  const decoded = Object.freeze(decodeUncached(paymentRequest));
  decodedRequests.set(paymentRequest, decoded);
  return decoded;
}

function decodeUncached(paymentRequest: string): DecodedPaymentRequest {
  let decoded: ReturnType<typeof decode>;
  try {
    decoded = decode(paymentRequest);
  } catch (error) {
    throw new InvalidPaymentRequest(error instanceof Error ? error.message : 'unreadable');
  }
  let network: string | undefined;
  let amountMsat: bigint | null = null;
  let paymentHash: string | undefined;
  let description: string | undefined;
  let timestamp: number | undefined;
  let expirySec = DEFAULT_EXPIRY_SEC;
  for (const section of decoded.sections) {
    switch (section.name) {
      case 'coin_network':
        network = section.value?.bech32;
        break;
      case 'amount':
        amountMsat = BigInt(section.value);
        break;
      case 'payment_hash':
        paymentHash = section.value;
        break;
      case 'description':
        description = section.value;
        break;
      case 'timestamp':
        timestamp = section.value;
        break;
      case 'expiry':
        expirySec = section.value;
        break;
    }
  }
  if (!network) throw new InvalidPaymentRequest('unknown network');
  if (!paymentHash || !/^[0-9a-f]{64}$/.test(paymentHash)) throw new InvalidPaymentRequest('no payment hash');
  if (timestamp === undefined) throw new InvalidPaymentRequest('no timestamp');
  return {
    network,
    amountMsat,
    paymentHash,
    description,
    createdAt: timestamp * 1000,
    expiresAt: (timestamp + expirySec) * 1000,
  };
}

/** Whole sats a request asks for: msat rounded up, since a wallet must pay at least that. */
export function amountSatsOf(request: DecodedPaymentRequest): number {
  if (request.amountMsat === null) throw new InvalidPaymentRequest('no amount');
  return Number((request.amountMsat + 999n) / 1000n);
}

export interface PaymentRequestFields {
  /** bech32 currency prefix after `ln`, e.g. `bcrt` for regtest. */
  network: string;
  amountMsat: bigint;
  /** Unix seconds. */
  timestamp: number;
  paymentHashHex: string;
  paymentSecretHex: string;
  description: string;
  expirySec: number;
}

const networkParams = (bech32: string) => ({
  bech32,
  pubKeyHash: 0x6f,
  scriptHash: 0xc4,
  validWitnessVersions: [0, 1],
  wif: 0xef,
});

/** Issues a BOLT11 signed with `privateKeyHex`, as a Lightning node would. */
export function signPaymentRequest(fields: PaymentRequestFields, privateKeyHex: string): string {
  const unsigned = encode(
    {
      network: networkParams(fields.network),
      millisatoshis: fields.amountMsat.toString(),
      timestamp: fields.timestamp,
      tags: [
        { tagName: 'payment_hash', data: fields.paymentHashHex },
        { tagName: 'payment_secret', data: fields.paymentSecretHex },
        { tagName: 'description', data: fields.description },
        { tagName: 'expire_time', data: fields.expirySec },
        { tagName: 'min_final_cltv_expiry', data: 80 },
        {
          tagName: 'feature_bits',
          data: {
            word_length: 4,
            var_onion_optin: { required: true, supported: true },
            payment_secret: { required: true, supported: true },
          },
        },
      ],
    },
    false,
  );
  const signed = sign(unsigned, privateKeyHex);
  if (!signed.paymentRequest) throw new Error('BOLT11 signing produced no payment request');
  return signed.paymentRequest;
}
