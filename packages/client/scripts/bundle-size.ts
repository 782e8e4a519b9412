import { gzipSync } from 'node:zlib';
import { bundleForBrowser } from './browser-bundle.ts';

/** Prints the size of the SDK as a browser app ships it: one minified module, then gzipped. */
const { code } = await bundleForBrowser();
const minified = Buffer.byteLength(code);
const gzipped = gzipSync(code, { level: 9 }).length;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
console.log(`@tidings/client for browsers: ${kb(minified)} min, ${kb(gzipped)} min+gzip (${minified} / ${gzipped} bytes)`);
