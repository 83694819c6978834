"""A stand-in of an OpenID Connect identity provider (Microsoft Entra ID's
shape) served on 127.0.0.1 inside a test: discovery, the authorisation endpoint
(which answers at once with a code, as if the person had signed in), the token
endpoint (checks the client secret and PKCE, returns an RS256-signed id token)
and the keys (JWKS). The keys are generated for each stand-in; nothing leaves the
machine. `next_claims` is what the next id token says about the person."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "omavalvonta-test-client"
CLIENT_SECRET = "stand-in-secret"
TENANT_ID = "00000000-0000-4000-8000-000000000017"


class OidcStandIn:
    def __init__(self):
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.kid = secrets.token_hex(8)
        self.next_claims: dict = {}
        self.sign_with = None  # another private key: a forged token
        self.codes: dict[str, dict] = {}
        self.requests: list[str] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/{TENANT_ID}/v2.0"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    @property
    def environ(self) -> dict:
        return {"ENTRA_CLIENT_ID": CLIENT_ID, "ENTRA_CLIENT_SECRET": CLIENT_SECRET, "ENTRA_SERVER_URL": self.base}

    # --- what the endpoints answer ---------------------------------------------------------

    def discovery(self) -> dict:
        return {
            "issuer": self.base,
            "authorization_endpoint": f"{self.base}/oauth2/authorize",
            "token_endpoint": f"{self.base}/oauth2/token",
            "jwks_uri": f"{self.base}/discovery/keys",
            "response_types_supported": ["code"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_post", "client_secret_basic"],
        }

    def jwks(self) -> dict:
        jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        return {"keys": [{**jwk, "kid": self.kid, "use": "sig", "alg": "RS256"}]}

    def authorize(self, query: dict) -> str:
        """The redirect back to the product with a fresh code."""
        code = secrets.token_urlsafe(16)
        self.codes[code] = {
            "redirect_uri": query["redirect_uri"],
            "challenge": query.get("code_challenge"),
            "nonce": query.get("nonce"),
        }
        return f"{query['redirect_uri']}?{urlencode({'code': code, 'state': query.get('state', '')})}"

    def token(self, form: dict) -> tuple[int, dict]:
        grant = self.codes.pop(form.get("code", ""), None)
        if grant is None or form.get("client_secret") != CLIENT_SECRET or form.get("client_id") != CLIENT_ID:
            return 400, {"error": "invalid_grant"}
        if grant["redirect_uri"] != form.get("redirect_uri"):
            return 400, {"error": "invalid_grant", "error_description": "redirect_uri"}
        if grant["challenge"]:
            digest = hashlib.sha256(form.get("code_verifier", "").encode()).digest()
            if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
                return 400, {"error": "invalid_grant", "error_description": "PKCE"}
        now = int(time.time())
        claims = {"iss": self.base, "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 3600, "tid": TENANT_ID}
        if grant["nonce"]:
            claims["nonce"] = grant["nonce"]
        claims.update(self.next_claims)
        id_token = jwt.encode(claims, self.sign_with or self.key, algorithm="RS256", headers={"kid": self.kid})
        return 200, {"token_type": "Bearer", "access_token": secrets.token_urlsafe(24), "expires_in": 3600,
                     "id_token": id_token}

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _json(self, status, data):
                body = json.dumps(data).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self):
                url = urlsplit(self.path)
                standin.requests.append(url.path)
                prefix = urlsplit(standin.base).path
                if url.path == f"{prefix}/.well-known/openid-configuration":
                    return self._json(200, standin.discovery())
                if url.path == f"{prefix}/discovery/keys":
                    return self._json(200, standin.jwks())
                if url.path == f"{prefix}/oauth2/authorize":
                    query = {k: v[0] for k, v in parse_qs(url.query).items()}
                    self.send_response(302)
                    self.send_header("Location", standin.authorize(query))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return None
                return self._json(404, {"error": "not_found"})

            def do_POST(self):
                url = urlsplit(self.path)
                standin.requests.append(url.path)
                length = int(self.headers.get("Content-Length") or 0)
                form = {k: v[0] for k, v in parse_qs(self.rfile.read(length).decode()).items()}
                if url.path == f"{urlsplit(standin.base).path}/oauth2/token":
                    return self._json(*standin.token(form))
                return self._json(404, {"error": "not_found"})

        return Handler
