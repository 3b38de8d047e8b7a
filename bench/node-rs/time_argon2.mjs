// Times @node-rs/argon2's hashSync as a Node service calls it: Argon2id with the given memory (KiB)
// and passes, one lane, on this thread, for about the given seconds after one untimed hash.
// Prints one JSON line. Usage: node time_argon2.mjs <memory_kib> <passes> <seconds>
import { createRequire } from 'node:module';
import { hashSync, verifySync, Algorithm } from '@node-rs/argon2';

const [memoryCost, timeCost, seconds] = process.argv.slice(2).map(Number);
const options = { algorithm: Algorithm.Argon2id, memoryCost, timeCost, parallelism: 1 };
const sample = hashSync('time_argon2 warm-up', options);
if (!verifySync(sample, 'time_argon2 warm-up')) throw new Error('@node-rs/argon2 does not verify its own hash');

let hashes = 0;
const start = process.hrtime.bigint();
const budget = BigInt(Math.round(seconds * 1e9));
do {
  hashSync(`time_argon2 password ${hashes}`, options);
  hashes += 1;
} while (process.hrtime.bigint() - start < budget);
const elapsedMs = Number(process.hrtime.bigint() - start) / 1e6;

const { version } = createRequire(import.meta.url)('@node-rs/argon2/package.json');
console.log(JSON.stringify({ package: '@node-rs/argon2', version, node: process.version, sample, hashes,
                             ms_per_hash: elapsedMs / hashes }));
