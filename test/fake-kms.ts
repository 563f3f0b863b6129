// A fake AWS KMS endpoint on 127.0.0.1 (AWS JSON 1.1, TrentService) that holds an EC key and signs
// digests the way KMS does (MessageType DIGEST, DER-encoded ECDSA), so the real KMS client can be
// pointed at it. Node's crypto only signs messages, not digests, so ECDSA is done here by hand:
// R = kG comes from ECDH, the rest is modular arithmetic.
import { createECDH, generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const curves = {
  ECC_NIST_P256: { node: 'P-256', ecdh: 'prime256v1', bytes: 32, algorithm: 'ECDSA_SHA_256', n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n },
  ECC_NIST_P384: { node: 'P-384', ecdh: 'secp384r1', bytes: 48, algorithm: 'ECDSA_SHA_384', n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n },
} as const;

export interface FakeKms {
  url: string;
  keyArn: string;
  publicKey: KeyObject;
  /** Every request: operation and parsed body. */
  requests: { operation: string; body: Record<string, unknown> }[];
  close(): Promise<void>;
}

export interface FakeKmsOptions {
  keySpec?: keyof typeof curves;
  /** Answer Sign with AccessDenied. */
  denySign?: boolean;
  /** Sign with a different key than GetPublicKey returns. */
  signWithOtherKey?: boolean;
}

const big = (b: Buffer) => BigInt(`0x${b.toString('hex') || '0'}`);
const bytes = (n: bigint, len: number) => Buffer.from(n.toString(16).padStart(len * 2, '0'), 'hex');
const mod = (a: bigint, n: bigint) => ((a % n) + n) % n;
function inverse(a: bigint, n: bigint): bigint {
  let [r0, r1, s0, s1] = [mod(a, n), n, 1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1, s0, s1] = [r1, r0 - q * r1, s1, s0 - q * s1];
  }
  return mod(s0, n);
}
function derInteger(n: bigint): Buffer {
  const hex = n.toString(16);
  let b = Buffer.from(hex.length % 2 ? `0${hex}` : hex, 'hex');
  if (b[0]! & 0x80) b = Buffer.concat([Buffer.from([0]), b]);
  return Buffer.concat([Buffer.from([0x02, b.length]), b]);
}

function ecdsaSignDigest(curve: (typeof curves)[keyof typeof curves], d: bigint, digest: Buffer): Buffer {
  const z = big(digest.subarray(0, curve.bytes));
  for (;;) {
    const k = mod(big(randomBytes(curve.bytes + 8)), curve.n - 1n) + 1n;
    const ecdh = createECDH(curve.ecdh);
    ecdh.setPrivateKey(bytes(k, curve.bytes));
    const point = ecdh.getPublicKey();
    const r = mod(big(point.subarray(1, 1 + curve.bytes)), curve.n);
    const s = mod(inverse(k, curve.n) * (z + r * d), curve.n);
    if (r === 0n || s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  }
}

export async function startFakeKms(opts: FakeKmsOptions = {}): Promise<FakeKms> {
  const spec = opts.keySpec ?? 'ECC_NIST_P256';
  const curve = curves[spec];
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: curve.node });
  const signer = opts.signWithOtherKey ? generateKeyPairSync('ec', { namedCurve: curve.node }).privateKey : privateKey;
  const d = big(Buffer.from(signer.export({ format: 'jwk' }).d!, 'base64url'));
  const keyArn = 'arn:aws:kms:eu-west-1:111122223333:key/0f0e0d0c-1111-2222-3333-444455556666';
  const requests: FakeKms['requests'] = [];

  const reply = (res: ServerResponse, status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'fake' });
    res.end(JSON.stringify(body));
  };
  const handle = (req: IncomingMessage, raw: string, res: ServerResponse) => {
    const operation =
      String(req.headers['x-amz-target'] ?? '')
        .split('.')
        .pop() ?? '';
    const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    requests.push({ operation, body });
    if (!/Credential=[^/]+\/\d{8}\/eu-west-1\/kms\//.test(req.headers.authorization ?? '')) return reply(res, 400, { __type: 'IncorrectKeyException', message: 'wrong region or unsigned' });
    if (body.KeyId !== keyArn && body.KeyId !== 'alias/evidence-pack') return reply(res, 400, { __type: 'NotFoundException', message: `Key '${String(body.KeyId)}' does not exist` });
    if (operation === 'GetPublicKey') {
      return reply(res, 200, {
        KeyId: keyArn,
        KeySpec: spec,
        KeyUsage: 'SIGN_VERIFY',
        SigningAlgorithms: [curve.algorithm],
        PublicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
      });
    }
    if (operation === 'Sign') {
      if (opts.denySign) return reply(res, 400, { __type: 'AccessDeniedException', message: `User is not authorized to perform kms:Sign on ${keyArn}` });
      if (body.MessageType !== 'DIGEST' || body.SigningAlgorithm !== curve.algorithm) return reply(res, 400, { __type: 'ValidationException', message: 'unexpected request' });
      const digest = Buffer.from(String(body.Message), 'base64');
      if (digest.length !== curve.bytes) return reply(res, 400, { __type: 'ValidationException', message: 'Digest is invalid length for algorithm' });
      return reply(res, 200, { KeyId: keyArn, SigningAlgorithm: curve.algorithm, Signature: ecdsaSignDigest(curve, d, digest).toString('base64') });
    }
    return reply(res, 400, { __type: 'UnknownOperationException', message: operation });
  };

  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => handle(req, raw, res));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    keyArn,
    publicKey,
    requests,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
