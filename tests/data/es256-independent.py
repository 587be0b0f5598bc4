"""ES256 tokens from a second, independent signer (Python's `cryptography`),
for tests/es256_independent.rs. Run: python3 tests/data/es256-independent.py
> tests/data/es256-independent.json (ECDSA is randomised: each run differs;
the committed output is the one the test checks)."""
import base64, json
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
key = ec.derive_private_key(0x1F2E3D4C5B6A79880102030405060708090A0B0C0D0E0F101112131415161718, ec.SECP256R1())
pub = key.public_key().public_numbers()
jwk = {"kty": "EC", "crv": "P-256", "x": b64(pub.x.to_bytes(32, "big")), "y": b64(pub.y.to_bytes(32, "big"))}

def sign(header, payload, high_s):
    inp = b64(header.encode()) + "." + b64(payload.encode())
    r, s = decode_dss_signature(key.sign(inp.encode(), ec.ECDSA(hashes.SHA256())))
    if (s > N // 2) != high_s:
        s = N - s
    return inp + "." + b64(r.to_bytes(32, "big") + s.to_bytes(32, "big"))

H = '{"alg":"ES256","typ":"JWT"}'
payloads = [
    '{"sub":"u-1","aud":"authenticated","exp":2000000000}',
    '{"sub":"Smith \\u0026 Sons \\u003cUK\\u003e","aud":"authenticated","exp":2000000000,"name":"Zo\\u00eb \\"Q\\" \\ud83d\\ude00"}',
    '{"sub":"u-3","aud":["authenticated","x"],"exp":2000000000,"n":1.5e3}',
]
tokens = []
for i, p in enumerate(payloads):
    for high in (False, True):
        t = sign(H, p, high)
        name = f"payload{i}_{'high' if high else 'low'}_s"
        tokens.append({"name": name, "token": t, "expect": "accept"})
        head, body, sig = t.split(".")
        raw = bytearray(base64.urlsafe_b64decode(sig + "=="))
        raw[10] ^= 1
        tokens.append({"name": name + "_sig_bit_flipped", "token": f"{head}.{body}.{b64(bytes(raw))}", "expect": "invalid_signature"})
        other = b64(p.replace("u-", "v-").replace("Smith", "Smyth").encode())
        tokens.append({"name": name + "_payload_changed", "token": f"{head}.{other}.{sig}", "expect": "invalid_signature"})
print(json.dumps({"about": __doc__.split("\n")[0], "jwk": jwk, "now": 1900000000, "aud": "authenticated", "tokens": tokens}, indent=1))
