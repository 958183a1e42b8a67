/**
 * An independent check of a BOLT11 signature, for tests: the signed data is the human-readable
 * part's bytes followed by the data part (without the signature) padded to whole bytes; its
 * SHA-256 is signed with a recoverable secp256k1 signature (BOLT11 "Data Part").
 */
import { secp256k1 } from '@noble/curves/secp256k1';
import { sha256 } from '@noble/hashes/sha256';
import { bytesToHex, concatBytes, utf8ToBytes } from '@noble/hashes/utils';
import { bech32, utils } from '@scure/base';

const SIGNATURE_WORDS = 104; // 65 bytes: 64-byte compact signature + recovery id

export function recoverPayee(paymentRequest: string): { payee: string; valid: boolean } {
  const { prefix, words } = bech32.decode(paymentRequest.toLowerCase() as `${string}1${string}`, Number.MAX_SAFE_INTEGER);
  const data = words.slice(0, -SIGNATURE_WORDS);
  const signatureBytes = Uint8Array.from(utils.convertRadix2(words.slice(-SIGNATURE_WORDS), 5, 8, false));
  const signed = concatBytes(utf8ToBytes(prefix), Uint8Array.from(utils.convertRadix2(data, 5, 8, true)));
  const digest = sha256(signed);
  const recovery = signatureBytes[64];
  if (recovery === undefined || recovery > 3) throw new Error('bad recovery id');
  let signature = secp256k1.Signature.fromCompact(signatureBytes.slice(0, 64));
  // A high-S signature is accepted and read as its low-S twin with the same recovery flag
  // (BOLT11 "Public-key recovery with high-S signature").
  if (signature.hasHighS()) signature = signature.normalizeS();
  const recoverable = signature.addRecoveryBit(recovery);
  const payee = recoverable.recoverPublicKey(digest);
  const valid = secp256k1.verify(recoverable.toCompactRawBytes(), digest, payee.toRawBytes(true));
  return { payee: bytesToHex(payee.toRawBytes(true)), valid };
}
