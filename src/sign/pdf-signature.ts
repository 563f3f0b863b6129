// A CMS signature inside report.pdf, so a PDF reader (or poppler's pdfsig) shows it signed and
// unmodified even when the PDF travels without the pack.
import { createHash, generateKeyPairSync, randomBytes, type Hash } from 'node:crypto';
import { closeSync, fstatSync, openSync, readFileSync, readSync, writeFileSync, writeSync } from 'node:fs';
import { plainAddPlaceholder } from '@signpdf/placeholder-plain';
import forge from 'node-forge';
import { UserError } from '../core/errors.ts';
import { detachedCmsSignature } from './cms-signature.ts';

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
  const attrs = [
    { name: 'commonName', value: subject },
    { name: 'organizationName', value: organization.slice(0, 64) },
  ];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, nonRepudiation: true },
  ]);
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

/** Bytes the signature placeholder holds: twice this many hex digits between < and > (the CMS is about 2 KB). */
const signatureLength = 16384;
/** What @signpdf's placeholder writes for the byte range, to be filled in once the file's length is known. */
const byteRangePlaceholder = '/ByteRange [0 /********** /********** /**********]';
/** The signature dictionary is in the incremental update at the end of the file: it is looked for there. */
const tailBytes = 1024 * 1024;

/**
 * Signs report.pdf in place: a signature field is added (an incremental update), then the file's bytes around the
 * placeholder are hashed as they are read and the CMS signature is written into it. Only the placeholder step
 * holds the PDF in memory; the signature itself reads the file a megabyte at a time.
 */
export function signPdfFile(file: string, cert: PdfCertificate, info: { reason: string; name: string; location: string }, signingTime = new Date()): void {
  writeFileSync(file, plainAddPlaceholder({ pdfBuffer: readFileSync(file), reason: info.reason, contactInfo: '', name: info.name, location: info.location, signatureLength, signingTime }));
  const fd = openSync(file, 'r+');
  try {
    const size = fstatSync(fd).size;
    const { byteRangeAt, contentsStart, contentsEnd } = findPlaceholder(fd, size, file);
    const byteRange = `/ByteRange [0 ${contentsStart} ${contentsEnd} ${size - contentsEnd}]`;
    if (byteRange.length > byteRangePlaceholder.length) throw new Error(`${file}: the byte range does not fit its placeholder`);
    writeSync(fd, byteRange.padEnd(byteRangePlaceholder.length, ' '), byteRangeAt, 'latin1');
    const hash = createHash('sha256');
    hashRange(fd, 0, contentsStart, hash);
    hashRange(fd, contentsEnd, size, hash);
    const hex = detachedCmsSignature(hash.digest(), cert.p12, cert.passphrase, signingTime).toString('hex');
    const room = contentsEnd - contentsStart - 2;
    if (hex.length > room) throw new Error(`${file}: the signature (${hex.length / 2} bytes) does not fit its placeholder`);
    writeSync(fd, hex.padEnd(room, '0'), contentsStart + 1, 'latin1');
  } finally {
    closeSync(fd);
  }
}

/** Where the placeholder's byte range starts, and where its <hex> contents start and end (after the >). */
function findPlaceholder(fd: number, size: number, file: string): { byteRangeAt: number; contentsStart: number; contentsEnd: number } {
  const from = Math.max(0, size - tailBytes);
  const tail = Buffer.alloc(size - from);
  readSync(fd, tail, 0, tail.length, from);
  const byteRange = tail.lastIndexOf(byteRangePlaceholder);
  const contentsTag = byteRange < 0 ? -1 : tail.indexOf('/Contents ', byteRange);
  const open = contentsTag < 0 ? -1 : tail.indexOf('<', contentsTag);
  const close = open < 0 ? -1 : tail.indexOf('>', open);
  if (close < 0) throw new Error(`${file}: no signature placeholder after adding one`);
  return { byteRangeAt: from + byteRange, contentsStart: from + open, contentsEnd: from + close + 1 };
}

function hashRange(fd: number, start: number, end: number, hash: Hash): void {
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let at = start; at < end;) {
    const n = readSync(fd, buffer, 0, Math.min(buffer.length, end - at), at);
    if (n === 0) throw new Error('the PDF ended while it was being signed');
    hash.update(buffer.subarray(0, n));
    at += n;
  }
}
