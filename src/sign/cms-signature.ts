// A detached CMS (PKCS #7) SignedData over a digest computed elsewhere: a PDF's signed bytes are hashed as
// they are read from the file, never held (a million-item report's PDF is over 100 MB). The structure is
// what @signpdf's P12Signer makes (adbe.pkcs7.detached): content type, signing time and message digest as
// signed attributes, SHA-256 with RSA, the PKCS #12 file's certificates included.
import { createPrivateKey, sign } from 'node:crypto';
import forge from 'node-forge';
import { UserError } from '../core/errors.ts';

const { asn1, pki } = forge;
const oids = pki.oids as Record<string, string>;

const sequence = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SEQUENCE, true, value);
const set = (value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.SET, true, value);
const oid = (name: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OID, false, asn1.oidToDer(oids[name]!).getBytes());
const integer = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.INTEGER, false, bytes);
const octets = (bytes: string) => asn1.create(asn1.Class.UNIVERSAL, asn1.Type.OCTETSTRING, false, bytes);
const algorithm = (name: string) => sequence([oid(name), asn1.create(asn1.Class.UNIVERSAL, asn1.Type.NULL, false, '')]);
const attribute = (name: string, value: forge.asn1.Asn1) => sequence([oid(name), set([value])]);
/** [n] IMPLICIT (certificates, signed attributes) or EXPLICIT (content): the same encoding for constructed values. */
const tagged = (n: number, value: forge.asn1.Asn1[]) => asn1.create(asn1.Class.CONTEXT_SPECIFIC, n, true, value);

/** The private key and certificates of a PKCS #12 file, and the certificate of that key. */
function openP12(p12: Buffer, passphrase: string) {
  const parsed = forge.pkcs12.pkcs12FromAsn1(asn1.fromDer(p12.toString('binary')), passphrase);
  const certificates = (parsed.getBags({ bagType: oids.certBag! })[oids.certBag!] ?? []).map((b) => b.cert!).filter(Boolean);
  const key = parsed.getBags({ bagType: oids.pkcs8ShroudedKeyBag! })[oids.pkcs8ShroudedKeyBag!]?.[0]?.key as forge.pki.rsa.PrivateKey | undefined;
  const signer =
    key &&
    certificates.find((c) => {
      const publicKey = c.publicKey as forge.pki.rsa.PublicKey;
      return publicKey.n.compareTo(key.n) === 0 && publicKey.e.compareTo(key.e) === 0;
    });
  if (!key || !signer) throw new UserError('--pdf-certificate: the PKCS#12 file holds no RSA private key with its certificate');
  return { key, certificates, signer };
}

/** DER of a ContentInfo holding a detached SignedData: `digest` is the SHA-256 of the signed content. */
export function detachedCmsSignature(digest: Buffer, p12: Buffer, passphrase: string, signingTime: Date): Buffer {
  const { key, certificates, signer } = openP12(p12, passphrase);
  const signedAttributes = [
    attribute('contentType', oid('data')),
    attribute('signingTime', asn1.create(asn1.Class.UNIVERSAL, asn1.Type.UTCTIME, false, asn1.dateToUtcTime(signingTime))),
    attribute('messageDigest', octets(digest.toString('binary'))),
  ];
  // The signature is over the attributes as a SET (RFC 5652 5.4), not under the [0] tag they travel with.
  const signature = sign('sha256', Buffer.from(asn1.toDer(set(signedAttributes)).getBytes(), 'binary'), createPrivateKey(pki.privateKeyToPem(key)));
  const signerInfo = sequence([
    integer(asn1.integerToDer(1).getBytes()),
    sequence([pki.distinguishedNameToAsn1(signer.issuer), integer(forge.util.hexToBytes(signer.serialNumber))]),
    algorithm('sha256'),
    tagged(0, signedAttributes),
    algorithm('rsaEncryption'),
    octets(signature.toString('binary')),
  ]);
  const signedData = sequence([
    integer(asn1.integerToDer(1).getBytes()),
    set([algorithm('sha256')]),
    sequence([oid('data')]),
    tagged(
      0,
      certificates.map((c) => pki.certificateToAsn1(c)),
    ),
    set([signerInfo]),
  ]);
  return Buffer.from(asn1.toDer(sequence([oid('signedData'), tagged(0, [signedData])])).getBytes(), 'binary');
}
