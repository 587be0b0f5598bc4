"""RS256 tokens from a second, independent signer (Python's `cryptography`),
for tests/rs256.rs. Run: python3 tests/data/rs256-independent.py >
tests/data/rs256-independent.json (PKCS#1 v1.5 is deterministic: every run
prints the same file).

The key is the test-only RSA key of supabase-asymmetric.json
(`private_jwks`). Besides tokens signed by `cryptography`, this writes
signatures over hand-built encoded messages with a padding a lenient parser
would accept (RFC 8017 §9.2 has exactly one valid encoding): each must be
`invalid_signature`."""
import base64, hashlib, json, os
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

here = os.path.dirname(os.path.abspath(__file__))
fixture = json.load(open(os.path.join(here, "supabase-asymmetric.json")))
jwk = next(k for k in fixture["private_jwks"]["keys"] if k["kty"] == "RSA")
b64 = lambda b: base64.urlsafe_b64encode(b).rstrip(b"=").decode()
num = lambda s: int.from_bytes(base64.urlsafe_b64decode(s + "=" * (-len(s) % 4)), "big")
n, e, d = num(jwk["n"]), num(jwk["e"]), num(jwk["d"])
pub = rsa.RSAPublicNumbers(e, n)
key = rsa.RSAPrivateNumbers(num(jwk["p"]), num(jwk["q"]), d, num(jwk["dp"]), num(jwk["dq"]), num(jwk["qi"]), pub).private_key()
k = (n.bit_length() + 7) // 8
DIGEST_INFO = bytes.fromhex("3031300d060960864801650304020105000420")

def sign(header, payload):
    inp = b64(header.encode()) + "." + b64(payload.encode())
    return inp + "." + b64(key.sign(inp.encode(), padding.PKCS1v15(), hashes.SHA256()))

def raw(header, payload, em_of):
    """A token whose signature is em_of(H)^d mod n: the RSA primitive over a
    chosen encoded message."""
    inp = b64(header.encode()) + "." + b64(payload.encode())
    em = em_of(hashlib.sha256(inp.encode()).digest())
    assert len(em) == k
    return inp + "." + b64(pow(int.from_bytes(em, "big"), d, n).to_bytes(k, "big"))

def em(h, block=b"\x00\x01", fill=b"\xff", info=DIGEST_INFO, garbage=b""):
    t = info + h + garbage
    return block + fill * (k - len(block) - 1 - len(t)) + b"\x00" + t

H = '{"alg":"RS256","kid":"%s","typ":"JWT"}' % jwk["kid"]
P = '{"sub":"u-1","aud":"authenticated","exp":2000000000,"name":"Smith \\u0026 Sons"}'
tokens = [
    {"name": "cryptography_signed", "token": sign(H, P), "expect": "accept"},
    {"name": "hand_built_valid_encoding", "token": raw(H, P, em), "expect": "accept"},
    {"name": "block_type_02", "token": raw(H, P, lambda h: em(h, block=b"\x00\x02")), "expect": "invalid_signature"},
    {"name": "padding_of_zero_bytes", "token": raw(H, P, lambda h: em(h, fill=b"\x00")), "expect": "invalid_signature"},
    {"name": "one_padding_byte_fe",
     "token": raw(H, P, lambda h: em(h)[:20] + b"\xfe" + em(h)[21:]), "expect": "invalid_signature"},
    {"name": "digest_info_without_null", "expect": "invalid_signature",
     "token": raw(H, P, lambda h: em(h, info=bytes.fromhex("302f300b0609608648016503040201") + b"\x04\x20"))},
    {"name": "garbage_after_hash_shorter_padding", "expect": "invalid_signature",
     "token": raw(H, P, lambda h: em(h, garbage=b"\x13" * 40))},
    {"name": "digest_info_sha224_oid", "expect": "invalid_signature",
     "token": raw(H, P, lambda h: em(h, info=bytes.fromhex("3031300d06096086480165030402040500" "0420")))},
    {"name": "long_form_der_length_in_digest_info", "expect": "invalid_signature",
     "token": raw(H, P, lambda h: em(h, info=bytes.fromhex("308131300d060960864801650304020105000420")))},
]
head, body, sig = tokens[0]["token"].split(".")
flipped = bytearray(base64.urlsafe_b64decode(sig + "=="))
flipped[100] ^= 1
tokens.append({"name": "signature_bit_flipped", "token": f"{head}.{body}.{b64(bytes(flipped))}", "expect": "invalid_signature"})
tokens.append({"name": "payload_changed", "token": f"{head}.{b64(P.replace('u-1', 'u-2').encode())}.{sig}", "expect": "invalid_signature"})
print(json.dumps({"about": __doc__.split("\n\n")[0], "now": 1900000000, "tokens": tokens}, indent=1))
