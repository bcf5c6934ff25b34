// Every page of a SQLCipher 4 database as plaintext, free pages and WAL frames included, decrypted here
// with the raw key (AES-256-CBC, the page's IV in its reserved tail), not through SQLite: a row SQLite no
// longer lists is still on a page until something overwrites it, and that is what an erasure must prove.
// SQLCipher 4's defaults: 4096-byte pages, 80 reserved bytes at the end of each (a 16-byte IV, then a
// 64-byte HMAC), and page 1's first 16 bytes are the file's salt, stored in the clear.
import { createDecipheriv } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';

const PAGE = 4096;
const RESERVE = 80;
const SALT = 16;
const WAL_HEADER = 32;
const FRAME_HEADER = 24;

function decryptPage(page: Buffer, pageNumber: number, key: Buffer): Buffer {
  const start = pageNumber === 1 ? SALT : 0;
  const iv = page.subarray(PAGE - RESERVE, PAGE - RESERVE + 16);
  const decipher = createDecipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  const plain = Buffer.concat([decipher.update(page.subarray(start, PAGE - RESERVE)), decipher.final()]);
  return pageNumber === 1 ? Buffer.concat([Buffer.from('SQLite format 3\0'), plain]) : plain;
}

/** The plaintext of every page in the database file, then of every frame in its WAL. */
export function decryptedPages(databasePath: string, rawKeyHex: string): Buffer[] {
  const key = Buffer.from(rawKeyHex, 'hex');
  const pages: Buffer[] = [];
  const file = readFileSync(databasePath);
  for (let n = 0; n * PAGE < file.length; n++) pages.push(decryptPage(file.subarray(n * PAGE, (n + 1) * PAGE), n + 1, key));
  const walPath = `${databasePath}-wal`;
  if (existsSync(walPath)) {
    const wal = readFileSync(walPath);
    for (let at = WAL_HEADER; at + FRAME_HEADER + PAGE <= wal.length; at += FRAME_HEADER + PAGE) {
      const pageNumber = wal.readUInt32BE(at);
      pages.push(decryptPage(wal.subarray(at + FRAME_HEADER, at + FRAME_HEADER + PAGE), pageNumber, key));
    }
  }
  return pages;
}

/** Whether decryption worked: page 1 holds a valid header (page size 4096 at offset 16). */
export function looksDecrypted(pages: readonly Buffer[]): boolean {
  return pages.length > 0 && pages[0]!.readUInt16BE(16) === PAGE;
}
