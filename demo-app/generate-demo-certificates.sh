#!/usr/bin/env bash
# Makes the DEMO-ONLY certificates of src/main/resources/tls with openssl: a demo CA (demo-ca.crt; its key is
# thrown away) and the certificate and key of the echo-tls and starttls endpoints (demo-server.crt,
# demo-server.key), for localhost and 127.0.0.1, valid for ten years. The key is public, in git and in the jar:
# never use it outside the demo. For a real deployment, point spring.ssl.bundle.pem.demo at your own files.
set -euo pipefail
cd "$(dirname "$0")/src/main/resources/tls"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days 3650 \
	-subj "/CN=Protoloop Demo CA (DEMO ONLY)" -addext basicConstraints=critical,CA:true \
	-addext keyUsage=critical,keyCertSign,cRLSign -keyout "$work/ca.key" -out demo-ca.crt
openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 \
	-subj "/CN=localhost/O=Protoloop Demo (DEMO ONLY)" -keyout demo-server.key -out "$work/server.csr"
printf '%s\n' "basicConstraints=CA:false" "keyUsage=critical,digitalSignature" "extendedKeyUsage=serverAuth" \
	"subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1" > "$work/server.ext"
openssl x509 -req -in "$work/server.csr" -CA demo-ca.crt -CAkey "$work/ca.key" -CAcreateserial \
	-CAserial "$work/ca.srl" -days 3650 -extfile "$work/server.ext" -out demo-server.crt
