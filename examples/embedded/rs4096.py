#!/usr/bin/env python3
"""Writes rs4096.json: a 4096-bit RSA public JWK and one RS256 token signed
with it, for the firmware's 4096-bit check (the largest modulus jwtcheck's
Rs256Key accepts, so the deepest RS256 stack and the longest verification).

Each run generates a FRESH key (e = 65537) and a fresh kid: the output
differs every time, and the private key exists only in this process's
memory. It is never written anywhere; rs4096.json holds the public JWK
(kty, n, e, alg, kid, use, key_ops, as Supabase serves RSA keys) and the
token. After a rerun, copy the new `jwk` and `token` into src/main.rs.

The claims are shaped like a Supabase access token (those of
tests/data/supabase-asymmetric.json) and valid at the firmware's NOW,
1767262245: iat NOW, exp NOW + 3600, the sub of the firmware's other
tokens (SUB).

The token is RS256 (RFC 7518 §3.3: RSASSA-PKCS1-v1_5 with SHA-256) in JWS
compact serialization (RFC 7515 §7.1): base64url without padding
(RFC 7515 §2) of the header and the payload, signed over
`header.payload` ASCII.

Requires Python's `cryptography` package. Usage: python3 rs4096.py
(writes rs4096.json beside this script).
"""

import base64
import json
import os
import uuid

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa

NOW = 1767262245
ISS = "https://kqzrvxwlmtpbhdcnsjfg.supabase.co/auth/v1"
SUB = "8f14e45f-ceea-4e6a-9f3b-2c1d5a7b9e01"


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def uint(value: int) -> bytes:
    """Minimal big-endian octets (RFC 7518 §6.3.1: no leading zero)."""
    return value.to_bytes((value.bit_length() + 7) // 8, "big")


def main() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=4096)
    numbers = private.public_key().public_numbers()
    assert numbers.n.bit_length() == 4096 and numbers.e == 65537
    kid = str(uuid.uuid4())
    jwk = {
        "alg": "RS256",
        "e": b64url(uint(numbers.e)),
        "key_ops": ["verify"],
        "kid": kid,
        "kty": "RSA",
        "n": b64url(uint(numbers.n)),
        "use": "sig",
    }
    header = {"alg": "RS256", "kid": kid, "typ": "JWT"}
    claims = {
        "iss": ISS,
        "sub": SUB,
        "aud": "authenticated",
        "exp": NOW + 3600,
        "iat": NOW,
        "email": "zoe.obrien@example.com",
        "phone": "",
        "app_metadata": {"provider": "email", "providers": ["email"]},
        "user_metadata": {"email_verified": True, "full_name": "Zoe O'Brien"},
        "role": "authenticated",
        "aal": "aal1",
        "amr": [{"method": "password", "timestamp": NOW - 600}],
        "session_id": str(uuid.uuid4()),
        "is_anonymous": False,
    }
    compact = lambda v: json.dumps(v, separators=(",", ":")).encode()
    signing_input = b64url(compact(header)) + "." + b64url(compact(claims))
    signature = private.sign(signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    assert len(signature) == 512
    token = signing_input + "." + b64url(signature)
    # Verify once here too, with the public key alone.
    private.public_key().verify(signature, signing_input.encode("ascii"), padding.PKCS1v15(), hashes.SHA256())
    out = {
        "about": "A 4096-bit RSA public JWK and an RS256 token signed with it, valid at the embedded "
        "example's NOW. Written by rs4096.py from a fresh key; the private key was never stored.",
        "jwk": jwk,
        "jwk_json": json.dumps(jwk, separators=(",", ":")),
        "token": token,
        "header": compact(header).decode(),
        "payload": compact(claims).decode(),
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "rs4096.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=2)
        f.write("\n")
    print(f"wrote {path}: token {len(token)} characters, payload {len(compact(claims))} bytes, kid {kid}")


if __name__ == "__main__":
    main()
