import { Secret } from '@expe/server-kit';

/** Fixed, test-only keys; real deployments must set their own (config has no defaults). */
export const testSecrets = {
  internalAuth: new Secret('test-internal-auth-secret-0123456789abcdef'),
  jwt: new Secret('test-jwt-signing-secret-0123456789abcdefghij'),
};

/**
 * Fixed, test-only ES256 keypairs of the deployables that sign identities (ADR 0008). Tests
 * give each service its own private key and every public key (`testIdentityEnv`).
 */
export const testIdentityKeys = {
  gateway: {
    privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgZO5VK0Q3HYzaDaNf
eBbYK4es+MZOVjprCIo0XhKTG9WhRANCAAR0B//09Eg5VlHZQuVg4tIIsWgswWfl
uPunYuk89zU30OqMMus6H24P1Os04ArXLOItO0fCO+djC90CDJxd0N6m
-----END PRIVATE KEY-----`,
    publicKey: `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEdAf/9PRIOVZR2ULlYOLSCLFoLMFn
5bj7p2LpPPc1N9DqjDLrOh9uD9TrNOAK1yziLTtHwjvnYwvdAgycXdDepg==
-----END PUBLIC KEY-----`,
  },
  auth: {
    privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqGxD/ikZrfjUm565
Ox8og/FCsUqFteEeH4k7FfsPy2OhRANCAAQbdbherPBDL34SLfHYRNE02J6ISCHH
oR82ettp1PAhIsCK6IPINTDdQYYlrom0LHRUivE9F8bG404B7NHBFfDs
-----END PRIVATE KEY-----`,
    publicKey: `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEG3W4XqzwQy9+Ei3x2ETRNNieiEgh
x6EfNnrbadTwISLAiuiDyDUw3UGGJa6JtCx0VIrxPRfGxuNOAezRwRXw7A==
-----END PUBLIC KEY-----`,
  },
  payments: {
    privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgPOsDwsUTz5rBuowT
j+yqKa0OzlT6IdOGu/nkpu3CsoWhRANCAAQrUGNwHd4h6ZpI06EZHHy22g6yn07s
JbEuj0vSDEjq2O5yOlix7Xu99qowHCqXB6MQrXLvzUnqvSYz6Z+h3tr0
-----END PRIVATE KEY-----`,
    publicKey: `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEK1BjcB3eIemaSNOhGRx8ttoOsp9O
7CWxLo9L0gxI6tjucjpYse17vfaqMBwqlwejEK1y781J6r0mM+mfod7a9A==
-----END PUBLIC KEY-----`,
  },
  webhooks: {
    privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgMLqZ0R07UrzLuFap
04CVzDLYQxsWlggCCI3FrntFDC6hRANCAAQuS4hZ1BJCBRFYKzC2Xgr9X9YJVz29
kiIJhKeuUty1JE/o3JtQgkmsvObNfUUmribidJJ4ewPQQ21XbQAdtjsE
-----END PRIVATE KEY-----`,
    publicKey: `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAELkuIWdQSQgURWCswtl4K/V/WCVc9
vZIiCYSnrlLctSRP6NybUIJJrLzmzX1FJq4m4nSSeHsD0ENtV20AHbY7BA==
-----END PUBLIC KEY-----`,
  },
  operator: {
    privateKey: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgWWVHxqxJ0PNZ8e11
UFyaGeRPRoS7+Jc0ys2yvMTg4wyhRANCAASDiqzRRadGhDpnkUaoFeI1DYxs0JsA
g2eMs5XIMwJ2/D74JpKbwZ+TEhoQByNNgZR7XI53hWAL+m2fTIsKSZnn
-----END PRIVATE KEY-----`,
    publicKey: `-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEg4qs0UWnRoQ6Z5FGqBXiNQ2MbNCb
AINnjLOVyDMCdvw++CaSm8GfkxIaEAcjTYGUe1yOd4VgC/ptn0yLCkmZ5w==
-----END PUBLIC KEY-----`,
  },
} as const;
