// An extra certificate authority file (Settings → Network): what a network that inspects TLS, or a
// vendor on a private CA, needs trusted. Read and checked here so a bad file is refused with a
// reason when it is set, not discovered at the first poll.
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SwitchboardError } from '../../domain/errors.js';

export interface ExtraCa {
  path: string;
  /** Each certificate, PEM-encoded, as TLS options take them. */
  pems: string[];
  /** Who each is, for the settings screen ("CN=Acme Root CA"). */
  subjects: string[];
}

/** A CA bundle is a few kB; even a whole OS bundle is under 1 MB. */
const MAX_BYTES = 1_000_000;
const BEGIN = '-----BEGIN CERTIFICATE-----';
const END = '-----END CERTIFICATE-----';

/** A path as messages show it: a long one (a pasted mistake) is cut in the middle. */
function shown(file: string): string {
  return file.length > 120 ? `${file.slice(0, 60)}…${file.slice(-40)}` : file;
}

function refuse(message: string): SwitchboardError {
  return new SwitchboardError('invalid_input', message);
}

async function readCaFile(location: string): Promise<Buffer> {
  const file = shown(location);
  try {
    return await readFile(location);
  } catch (err) {
    const code = err instanceof Error && 'code' in err ? (err as NodeJS.ErrnoException).code : undefined;
    if (code === 'ENOENT' || code === 'ENOTDIR') throw refuse(`There is no file at ${file}.`);
    if (code === 'EACCES' || code === 'EPERM') throw refuse(`Switchboard is not allowed to read ${file} (permission denied).`);
    if (code === 'EISDIR') throw refuse(`${file} is a folder; choose the certificate file inside it.`);
    throw refuse(`${file} could not be read (${code ?? 'unknown error'}).`);
  }
}

/** Every PEM certificate block in `text`, in order. */
function pemBlocks(text: string): string[] {
  const out: string[] = [];
  for (let at = text.indexOf(BEGIN); at >= 0; at = text.indexOf(BEGIN, at + BEGIN.length)) {
    const end = text.indexOf(END, at);
    if (end < 0) break;
    out.push(text.slice(at, end + END.length));
  }
  return out;
}

/**
 * Reads the CA certificates in `file` (PEM, one or many; or a single DER certificate). Refuses, with
 * what to do, a path that is not absolute, a file that is missing, unreadable, too big, holds a
 * private key or no certificate, or whose certificates have all expired.
 */
export async function loadExtraCa(location: string, now = Date.now()): Promise<ExtraCa> {
  const file = shown(location);
  if (!path.isAbsolute(location)) throw refuse(`The CA certificate file needs its full path (like ${path.sep === '\\' ? 'C:\\certs\\corp-ca.pem' : '/etc/ssl/certs/corp-ca.pem'}), not "${file}".`);
  const bytes = await readCaFile(location);
  if (bytes.length > MAX_BYTES) throw refuse(`${file} is larger than 1 MB; a CA certificate file is a few kB.`);
  const text = bytes.toString('latin1');
  if (text.includes('PRIVATE KEY-----')) throw refuse(`${file} holds a private key. Give Switchboard only the CA certificate, never a key.`);
  let certs: X509Certificate[];
  const blocks = pemBlocks(text);
  if (blocks.length > 0) {
    certs = blocks.map((pem, i) => {
      try {
        return new X509Certificate(pem);
      } catch {
        throw refuse(`Certificate ${i + 1} in ${file} is damaged and could not be read.`);
      }
    });
  } else {
    try {
      certs = [new X509Certificate(bytes)];
    } catch {
      throw refuse(`${file} holds no certificate: expected PEM text (${BEGIN}) or a DER certificate.`);
    }
  }
  const current = certs.filter((c) => Date.parse(c.validFrom) <= now && now <= Date.parse(c.validTo));
  if (current.length === 0) {
    const c = certs[0]!;
    throw refuse(
      certs.length === 1
        ? `The certificate in ${file} (${subjectOf(c)}) is valid only from ${c.validFrom} to ${c.validTo}; get a current one from your IT team.`
        : `None of the ${certs.length} certificates in ${file} is valid now; get a current one from your IT team.`,
    );
  }
  // Expired ones are left out rather than refused: an exported bundle often carries a few.
  return { path: location, pems: current.map((c) => c.toString()), subjects: current.map(subjectOf) };
}

function subjectOf(c: X509Certificate): string {
  const cn = c.subject.split('\n').find((l) => l.startsWith('CN='));
  return cn ?? c.subject.split('\n')[0] ?? 'unnamed certificate';
}
