#!/usr/bin/env python3
"""Writes the seed corpora of jwtcheck's fuzz targets into fuzz/corpus/<target>/.

Generated from the crate's test vectors (tests/data/supabase.json,
tests/data/supabase-asymmetric.json, the RFC 7515 A.1 token, the JSONTestSuite
files in tests/data/json-test-suite, and the edge cases of tests/rules.rs
restated below) so no binary blob is committed.
Seed files are named by their SHA-1, so running this again only adds files;
an existing corpus is kept. Standard library only.

Usage: python3 fuzz/seeds.py [CORPUS_DIR]   (default: fuzz/corpus)
"""

import base64
import hashlib
import hmac
import json
import pathlib
import sys

FUZZ = pathlib.Path(__file__).resolve().parent
ROOT = FUZZ.parent

# The key of verify_signed, typed_claims, json_value and deserialize (jwtcheck_fuzz::jwt::SECRET).
TEST_SECRET = b"jwtcheck-test-secret-0123456789-abcdefgh"


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def sign(secret: bytes, header: bytes, payload: bytes) -> str:
    signing_input = f"{b64(header)}.{b64(payload)}"
    tag = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{b64(tag)}"


SUPABASE = json.loads((ROOT / "tests/data/supabase.json").read_text())
SUPABASE_SECRET = SUPABASE["secret"].encode()
# ES256 keys (jwks, es256): the public JWKS and the private keys that sign.
ASYMMETRIC = json.loads((ROOT / "tests/data/supabase-asymmetric.json").read_text())

# RFC 7515 Appendix A.1.
RFC7515_TOKEN = (
    "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9"
    ".eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
)
RFC7515_HEADER = b'{"typ":"JWT",\r\n "alg":"HS256"}'
RFC7515_PAYLOAD = b'{"iss":"joe",\r\n "exp":1300819380,\r\n "http://example.com/is_root":true}'

EXP = "1700003600"  # tests/rules.rs: NOW + 3600

HEADERS = [
    b'{"alg":"HS256"}',
    b'{"alg":"HS256","typ":"JWT"}',
    b'{"alg":"HS256","typ":"at+jwt"}',
    b'{"alg":"HS256","typ":"application/at+JWT"}',
    b'{"alg":"HS256","typ":"application/jwt"}',
    b'{"alg":"HS256","typ":"JOSE"}',
    b'{"alg":"HS256","typ":"+jwt"}',
    b'{"alg":"HS256","typ":"a/b+jwt"}',
    b'{"alg":"HS256","typ":1}',
    b'{"alg":"HS256","cty":"JWT"}',
    b'{"alg":"HS256","cty":"application/jwt"}',
    b'{"alg":"HS256","cty":"text/plain"}',
    b'{"alg":"HS256","cty":1}',
    b'{"alg":"HS256","crit":[]}',
    b'{"alg":"HS256","crit":["b64"],"b64":false}',
    b'{"alg":"HS256","b64":true}',
    b'{"alg":"HS\\u0032\\u0035\\u0036"}',
    b'{"alg":"none"}',
    b'{"alg":"hs256"}',
    b'{"alg":["HS256"]}',
    b'{"typ":"JWT"}',
    b'{"alg":"HS256","alg":"HS256"}',
    b'{"alg":"HS256","\\u0061lg":"none"}',
    b'{"alg":"HS256","kid":"../../etc/passwd","jku":"https://evil","jwk":{"kty":"oct","k":"AA"}}',
    b'{"alg":"HS256","x":' + b"[" * 31 + b"1" + b"]" * 31 + b"}",
    b'{"alg":"HS256"} \n',
    b'["HS256"]',
    RFC7515_HEADER,
] + [t["header"].encode() for t in SUPABASE["tokens"]]

PAYLOADS = [
    f'{{"exp":{EXP}}}'.encode(),
    f'{{"exp":{EXP},"sub":"user-1","aud":"authenticated"}}'.encode(),
    f'{{"exp":{EXP},"aud":["x","authenticated"]}}'.encode(),
    f'{{"exp":{EXP},"aud":"\\u0061uthenticated"}}'.encode(),
    f'{{"exp":{EXP},"aud":[]}}'.encode(),
    f'{{"exp":{EXP},"aud":["a",1]}}'.encode(),
    f'{{"exp":{EXP},"aud":[["a"]]}}'.encode(),
    f'{{"exp":{EXP},"aud":null}}'.encode(),
    f'{{"exp":{EXP},"aud":"\\ud83d\\ude00"}}'.encode(),
    f'{{"exp":{EXP},"aud":"x\\"y\\\\"}}'.encode(),
    f'{{"exp":{EXP},"iss":"https:\\/\\/kqzrvxwlmtpbhdcnsjfg.supabase.co\\/auth\\/v1"}}'.encode(),
    f'{{"exp":{EXP},"iss":"\\u00e9"}}'.encode(),
    f'{{"exp":{EXP},"iss":1}}'.encode(),
    f'{{"exp":{EXP},"sub":null}}'.encode(),
    f'{{"exp":{EXP},"jti":{{}}}}'.encode(),
    f'{{"exp":{EXP},"iat":1.5,"nbf":1699999999.9}}'.encode(),
    f'{{"exp":{EXP},"nbf":1700000000.1}}'.encode(),
    f'{{"exp":{EXP},"nbf":"1"}}'.encode(),
    f'{{"exp":{EXP},"iat":[1]}}'.encode(),
    b'{"exp":"1700003600"}',
    b'{"exp":1699999999.5}',
    b'{"exp":1700000000.5}',
    b'{"exp":1.7e9}',
    b'{"exp":1.7000001E+9}',
    b'{"exp":17e-1}',
    b'{"exp":0.00000012e7}',
    b'{"exp":100000000000000000000000e-4}',
    b'{"exp":-0}',
    b'{"exp":-1}',
    b'{"exp":1e400}',
    b'{"exp":1e-400}',
    b'{"exp":18446744073709551615}',
    b'{"exp":18446744073709551615.5}',
    b'{"exp":18446744073709551616}',
    b'{"exp":18446744073709551616e-1}',
    b'{"exp":null}',
    b'{"sub":"x"}',
    b'{"exp":1,"sub":2}',
    b'{"exp":100,"nbf":50}',
    b'{"exp":1,"nbf":99999999999}',
    b'{"\\u0065xp":1700003600}',
    f'{{"exp":{EXP},"exp":{EXP}}}'.encode(),
    f'{{"exp":{EXP},"\\u0065xp":1}}'.encode(),
    f'{{"exp":{EXP},"app_metadata":{{"role":"a","role":"b"}}}}'.encode(),
    f'{{"exp":{EXP},"x":'.encode() + b"[" * 31 + b"1" + b"]" * 31 + b"}",
    f'{{"exp":{EXP},"x":{{"y":{{}}}}}}'.encode(),
    f'{{"exp":{EXP},"user_metadata":{{"a":[1,2,]}}}}'.encode(),
    f'{{"exp":{EXP},"x":"\\ud800"}}'.encode(),
    f'{{"exp":{EXP},"x":"a\x01b"}}'.encode(),
    f'{{"exp":{EXP},"x":"\xff"}}'.encode("latin-1"),
    f'{{"exp":{EXP},"name":"Zo\u00eb \U0001F600"}}'.encode(),
    f'{{"exp":{EXP}}} \r\n\t'.encode(),
    f'{{"exp":{EXP},"n":01}}'.encode(),
    f'{{"exp":{EXP},"role":[1,{{"a":null}}],"t":true,"f":false}}'.encode(),
    "\ufeff{}".encode(),
    b"[1]",
    b'"exp"',
    b"",
    RFC7515_PAYLOAD,
] + [t["payload"].encode() for t in SUPABASE["tokens"]]


def control(flags=0, aud=0, aud_len=0, iss=0, modes=0, delta=0, raw=0):
    """The 12 control bytes of verify_signed (jwtcheck_fuzz::signed)."""
    return bytes([flags, aud, aud_len, iss, modes, delta & 0xFF]) + raw.to_bytes(6, "little")


CONTROLS = [
    control(),
    control(flags=0b1),  # allow_missing_exp
    control(flags=0b010),  # accept_any_audience
    control(flags=0b100, aud=0),  # audience("authenticated")
    control(flags=0b110, aud=0, aud_len=3),  # audiences([...])
    control(flags=0b1000, iss=7),  # issuer(supabase url)
    control(flags=0b10000, iss=0x35),  # issuers([...])
    control(modes=1, delta=0),  # now = exp
    control(modes=1, delta=-1),  # now = exp - 1
    control(modes=2, delta=0),  # now = nbf
    control(modes=2, delta=-1),
    control(modes=0b0101, delta=0, raw=30),  # leeway c6, now = exp
    control(modes=0b1000),  # leeway u64::MAX
    control(modes=0b100000, raw=2 << 8),  # max_depth(2)
    control(modes=0b110000),  # max_depth(64)
    control(modes=0b01000000, raw=(64 << 16) | (3 << 24)),  # verify_in, 515 bytes
    control(modes=0b10000000, raw=(1 << 16) | (20 << 24)),  # max_token_len(52)
    control(modes=0b11000000),  # verify_in, 16 KiB
    control(flags=0b10000000),  # signature: one character changed
    control(flags=0b10100000),  # signature: last character dropped
    control(flags=0b11100000),  # signature: '=' appended
]


def write(corpus: pathlib.Path, target: str, seeds):
    out = corpus / target
    out.mkdir(parents=True, exist_ok=True)
    n = 0
    for seed in seeds:
        (out / hashlib.sha1(seed).hexdigest()).write_bytes(seed)
        n += 1
    print(f"{target}: {n} seeds")


def main():
    corpus = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else FUZZ / "corpus"
    default_header = b'{"alg":"HS256","typ":"JWT"}'

    signed = []
    for payload in PAYLOADS:
        for ctl in CONTROLS[:8] if payload.startswith(b'{"exp":1') else CONTROLS[:3]:
            signed.append(ctl + default_header + b"\xff" + payload)
    for header in HEADERS:
        signed.append(CONTROLS[0] + header + b"\xff" + PAYLOADS[0])
    for ctl in CONTROLS:
        signed.append(ctl + default_header + b"\xff" + PAYLOADS[1])
    for t in SUPABASE["tokens"]:
        for ctl in CONTROLS:
            signed.append(ctl + t["header"].encode() + b"\xff" + t["payload"].encode())
    signed.append(control(flags=1) + RFC7515_HEADER + b"\xff" + RFC7515_PAYLOAD)
    write(corpus, "verify_signed", signed)

    tokens = [t["token"] for t in SUPABASE["tokens"]] + [RFC7515_TOKEN]
    tokens += [sign(SUPABASE_SECRET, h, PAYLOADS[1]) for h in HEADERS[:6]]
    tokens += [sign(SUPABASE_SECRET, default_header, p) for p in PAYLOADS[:20]]
    tokens += ["a.b.c", "..", "a.b.c.d", tokens[0] + "="]
    raw = [t.encode() for t in tokens] + [f"Bearer {t}".encode() for t in tokens[:4]]
    raw += [b"bearer   " + tokens[0].encode(), b"Basic dXNlcjpwYXNz"]
    write(corpus, "verify_bytes", raw)

    # cache: operations of 4 bytes (kind, token, position, byte): each token
    # twice (a miss, then a hit), at each time, then a clear, then edits.
    ops = [bytes([k, t, 0, 0]) for t in range(14) for k in (0x02, 0x02, 0x22, 0x42)]
    write(corpus, "cache", [b"".join(ops[i:i + 8]) for i in range(0, len(ops), 8)]
          + [bytes([0x02, t, 0, 0, 0x02, t, 0, 0, 0x00, 0, 0, 0, 0x12, t, 200, 65]) for t in range(14)])
    write(corpus, "mutate_valid", [bytes([i]) + bytes([i * 37 % 8, i * 91 % 256, 0, i * 13 % 256]) for i in range(8)])

    b64_seeds = [b"", b"Zg", b"Zm8", b"Zm9v", b"Zm9vYmFy", b"-_-_", b"Zh", b"Zm9", b"Zg==", b"+/+/", b"Zm9vY"]
    for t in tokens[:4]:
        b64_seeds += [s.encode() for s in t.split(".")]
    write(corpus, "base64url", b64_seeds)

    suite = sorted((ROOT / "tests/data/json-test-suite/test_parsing").iterdir())
    write(corpus, "json", HEADERS + PAYLOADS + [f.read_bytes() for f in suite])

    write(corpus, "typed_claims", PAYLOADS)
    write(corpus, "json_value", PAYLOADS)
    write(corpus, "deserialize", PAYLOADS)

    # JWK `k` values (RFC 7515 A.1's key) and secrets in every base64 form.
    rfc7515_k = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"
    secret33 = bytes((i * 37) & 0xFF | 0xC0 for i in range(33))
    keys = [rfc7515_k, "", "c2hvcnQ", "not base64!", "a+b_", "A" * 1368, "A" * 1372]
    for secret in (SUPABASE_SECRET, secret33, bytes(32), bytes(31)):
        keys += [
            base64.b64encode(secret).decode(),
            base64.b64encode(secret).decode().rstrip("="),
            base64.urlsafe_b64encode(secret).decode(),
            base64.urlsafe_b64encode(secret).decode().rstrip("="),
        ]
    write(corpus, "key_base64", [k.encode() for k in keys])

    # JWKS documents: Supabase's, then one variant per skip reason or error.
    jwks = ASYMMETRIC["jwks_json"]
    ec = json.loads(jwks)["keys"][0]
    short_x = dict(ec, x=b64(base64.urlsafe_b64decode(ec["x"] + "=")[1:]))
    docs = [
        jwks,
        json.dumps(ASYMMETRIC["private_jwks"]),
        '{"keys":[]}',
        '{"keys":[{"kty":"oct","k":"c2VjcmV0","kid":"h"}]}',
        json.dumps({"keys": [ec, dict(ec, x=json.loads(jwks)["keys"][1]["x"])]}),
        json.dumps({"keys": [short_x]}),
        json.dumps({"keys": [dict(ec, y=ec["x"])]}),
        json.dumps({"keys": [dict(ec, use="enc"), dict(ec, key_ops=["sign"], kid="b"), dict(ec, crv="P-384", kid="c")]}),
        json.dumps({"keys": [dict(ec, alg="HS256"), dict(ec, kid=7)]}),
        json.dumps({"keys": [dict(ec, kid=f"k{i}") for i in range(5)]}),
        '{"keys":[{}],"keys":[]}',
        '{"keys":{}}',
    ]
    write(corpus, "jwks", [d.encode() for d in docs])

    # es256: verify_signed's layout under ES256 headers; c0 bit 5 is high-S.
    kid = ec["kid"]
    es_headers = [h.replace(b"HS256", b"ES256") for h in HEADERS] + [
        b'{"alg":"ES256","typ":"JWT","kid":"' + kid.encode() + b'"}',
        b'{"alg":"ES256","kid":7}',
        b'{"alg":"HS256","kid":"' + kid.encode() + b'"}',
    ]
    es = []
    for header in es_headers:
        es.append(CONTROLS[0] + header + b"\xff" + PAYLOADS[0])
    for ctl in CONTROLS:
        for high_s in (0, 0x20):
            es.append(bytes([ctl[0] | high_s]) + ctl[1:] + es_headers[1] + b"\xff" + PAYLOADS[1])
    for payload in PAYLOADS:
        es.append(CONTROLS[0] + es_headers[1] + b"\xff" + payload)
    for t in ASYMMETRIC["tokens"]:
        if "header" in t and "payload" in t:
            es.append(CONTROLS[2] + t["header"].encode() + b"\xff" + t["payload"].encode())
    write(corpus, "es256", es)

    # rs256: the same layout under RS256 headers (the RSA key's kid), and
    # RSA JWKS documents for the jwks target.
    rsa = next(k for k in json.loads(jwks)["keys"] if k["kty"] == "RSA")
    rs_headers = [h.replace(b"HS256", b"RS256") for h in HEADERS] + [
        b'{"alg":"RS256","typ":"JWT","kid":"' + rsa["kid"].encode() + b'"}',
        b'{"alg":"HS256","kid":"' + rsa["kid"].encode() + b'"}',
    ]
    rs = [CONTROLS[0] + header + b"\xff" + PAYLOADS[0] for header in rs_headers]
    rs += [ctl + rs_headers[1] + b"\xff" + PAYLOADS[1] for ctl in CONTROLS]
    rs += [CONTROLS[0] + rs_headers[1] + b"\xff" + payload for payload in PAYLOADS]
    write(corpus, "rs256", rs)
    rsa_docs = [
        json.dumps({"keys": [rsa]}),
        json.dumps({"keys": [dict(rsa, e="AQAA"), dict(rsa, kid="b", alg="RS512"), dict(rsa, kid="c", n=rsa["n"][:171])]}),
        json.dumps({"keys": [dict(rsa, n="AA" + rsa["n"]), dict(rsa, kid="d", e="Aw")]}),
    ]
    write(corpus, "jwks", [d.encode() for d in rsa_docs])

    # eddsa: the same layout under EdDSA headers (the OKP key's kid), and
    # OKP JWKS documents for the jwks target.
    okp = ASYMMETRIC["okp_jwk"]
    ed_headers = [h.replace(b"HS256", b"EdDSA") for h in HEADERS] + [
        b'{"alg":"EdDSA","typ":"JWT","kid":"' + okp["kid"].encode() + b'"}',
        b'{"alg":"Ed25519"}',
        b'{"alg":"HS256","kid":"' + okp["kid"].encode() + b'"}',
    ]
    ed = [CONTROLS[0] + header + b"\xff" + PAYLOADS[0] for header in ed_headers]
    ed += [ctl + ed_headers[1] + b"\xff" + PAYLOADS[1] for ctl in CONTROLS]
    ed += [CONTROLS[0] + ed_headers[1] + b"\xff" + payload for payload in PAYLOADS]
    write(corpus, "eddsa", ed)
    identity = "AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
    okp_docs = [
        json.dumps({"keys": [okp]}),
        json.dumps({"keys": [dict(okp, crv="X25519"), dict(okp, kid="b", alg="Ed25519"), dict(okp, kid="c", x=okp["x"][:42])]}),
        json.dumps({"keys": [dict(okp, x=identity), dict(okp, kid="d", x=okp["x"] + "="), dict(okp, kid="e", d=okp["x"])]}),
    ]
    write(corpus, "jwks", [d.encode() for d in okp_docs])


if __name__ == "__main__":
    main()
