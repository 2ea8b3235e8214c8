import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';

/** scrypt parameters (OWASP's minimum: N = 2^17, r = 8, p = 1; 128 MiB per hash). */
export interface ScryptParameters {
  readonly cost: number;
  readonly blockSize: number;
  readonly parallelization: number;
}

export const defaultScryptParameters: ScryptParameters = { cost: 2 ** 17, blockSize: 8, parallelization: 1 };

const keyLength = 32;

function derive(password: string, salt: Buffer, parameters: ScryptParameters): Promise<Buffer> {
  const options: ScryptOptions = {
    N: parameters.cost,
    r: parameters.blockSize,
    p: parameters.parallelization,
    maxmem: 256 * parameters.cost * parameters.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFKC'), salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/**
 * Hashes a password with scrypt (node:crypto) and a random 16-byte salt. The result is
 * self-describing (`scrypt$N$r$p$salt$hash`), so parameters can be raised later without
 * invalidating stored hashes.
 */
export async function hashPassword(password: string, parameters: ScryptParameters = defaultScryptParameters): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, parameters);
  return ['scrypt', parameters.cost, parameters.blockSize, parameters.parallelization, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/**
 * Checks a password against a stored hash in constant time. With no stored hash (unknown
 * user) a dummy hash is still computed, so response timing does not reveal which emails
 * have accounts.
 */
export async function verifyPassword(password: string, stored: string | null | undefined, parameters: ScryptParameters = defaultScryptParameters): Promise<boolean> {
  const parts = stored?.split('$');
  if (!parts || parts.length !== 6 || parts[0] !== 'scrypt') {
    await derive(password, randomBytes(16), parameters);
    return false;
  }
  const [, cost, blockSize, parallelization, salt, expected] = parts as [string, string, string, string, string, string];
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    cost: Number(cost),
    blockSize: Number(blockSize),
    parallelization: Number(parallelization),
  });
  const expectedKey = Buffer.from(expected, 'base64url');
  return expectedKey.length === key.length && timingSafeEqual(expectedKey, key);
}
