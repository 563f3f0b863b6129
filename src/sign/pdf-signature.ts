// A CMS signature inside report.pdf, so a PDF reader (or poppler's pdfsig) shows it signed and
// unmodified even when the PDF travels without the pack.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import { P12Signer } from '@signpdf/signer-p12';
import { SignPdf } from '@signpdf/signpdf';
import forge from 'node-forge';
import { UserError } from '../errors.ts';

export const pdfCertPasswordEnv = 'EVIDENCE_PACK_PDF_CERT_PASSWORD';

export interface PdfCertificate {
  p12: Buffer;
  passphrase: string;
  /** Who the certificate names, for the report and the summary. */
  subject: string;
  demo: boolean;
}

/**
 * A self-signed certificate made for this run only: it lets a reader confirm the PDF is unmodified,
 * not who signed it. The key pair comes from node:crypto (fast); forge builds the X.509 and PKCS#12.
 */
export function demoPdfCertificate(organization: string, now: Date): PdfCertificate {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: 'pkcs1', format: 'pem' }).toString());
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.setRsaPublicKey(key.n, key.e);
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(now.getTime() - 60_000);
  cert.validity.notAfter = new Date(now.getTime() + 365 * 24 * 3600 * 1000);
  const subject = `${organization.slice(0, 50)} (unmanaged demo certificate)`;
  const attrs = [{ name: 'commonName', value: subject }, { name: 'organizationName', value: organization.slice(0, 64) }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, { name: 'keyUsage', digitalSignature: true, nonRepudiation: true }]);
  cert.sign(key, forge.md.sha256.create());
  const passphrase = randomBytes(12).toString('hex');
  const asn1 = forge.pkcs12.toPkcs12Asn1(key, [cert], passphrase, { algorithm: '3des' });
  return { p12: Buffer.from(forge.asn1.toDer(asn1).getBytes(), 'binary'), passphrase, subject, demo: true };
}

/** A PKCS#12 file of the user's, with its password from the environment. */
export function pdfCertificateFromFile(file: string, env: NodeJS.ProcessEnv = process.env): PdfCertificate {
  let p12: Buffer;
  try {
    p12 = readFileSync(file);
  } catch (e) {
    throw new UserError(`--pdf-certificate ${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
  }
  const passphrase = env[pdfCertPasswordEnv] ?? '';
  let subject: string;
  try {
    const parsed = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(p12.toString('binary')), passphrase);
    const bag = parsed.getBags({ bagType: forge.pki.oids.certBag! })[forge.pki.oids.certBag!]?.[0];
    subject = bag?.cert?.subject.getField('CN')?.value ?? file;
  } catch {
    throw new UserError(`--pdf-certificate ${file}: not a PKCS#12 file, or ${pdfCertPasswordEnv} does not open it`);
  }
  return { p12, passphrase, subject, demo: false };
}


/** Adds a signature placeholder to the PDF and fills it with a CMS (PKCS#7 detached) signature. */
export async function signPdf(pdf: Buffer, cert: PdfCertificate, info: { reason: string; name: string; location: string }): Promise<Buffer> {
  const withPlaceholder = plainAddPlaceholder({ pdfBuffer: pdf, reason: info.reason, contactInfo: '', name: info.name, location: info.location, signatureLength: 16384 });
  return Buffer.from(await new SignPdf().sign(withPlaceholder, new P12Signer(cert.p12, { passphrase: cert.passphrase })));
}
