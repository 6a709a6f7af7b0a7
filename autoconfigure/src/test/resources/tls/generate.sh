#!/usr/bin/env bash
# Makes the TEST-ONLY certificates of this directory with openssl: a test CA, two server certificates for
# localhost and 127.0.0.1 (server, and renewed for the reload test), a client certificate, and server.p12
# (PKCS#12, password "secret") for the JKS-bundle test. The keys are public: never use them outside tests.
# The CA's key is thrown away. Run from this directory: ./generate.sh
set -euo pipefail
days=36500
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

openssl req -x509 -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -days "$days" \
	-subj "/CN=Protoloop Test CA" -addext basicConstraints=critical,CA:true \
	-addext keyUsage=critical,keyCertSign,cRLSign -keyout "$work/ca.key" -out ca.crt

issue() { # name subject extended-key-usage [subjectAltName]
	openssl req -new -nodes -newkey ec -pkeyopt ec_paramgen_curve:P-256 -subj "$2" -keyout "$1.key" -out "$work/$1.csr"
	{
		echo "basicConstraints=CA:false"
		echo "keyUsage=critical,digitalSignature"
		echo "extendedKeyUsage=$3"
		if [ -n "${4:-}" ]; then echo "subjectAltName=$4"; fi
	} > "$work/$1.ext"
	openssl x509 -req -in "$work/$1.csr" -CA ca.crt -CAkey "$work/ca.key" -CAcreateserial -CAserial "$work/ca.srl" \
		-days "$days" -extfile "$work/$1.ext" -out "$1.crt"
}
issue server "/CN=localhost/O=Protoloop Test" serverAuth "DNS:localhost,IP:127.0.0.1"
issue renewed "/CN=localhost/O=Protoloop Test Renewed" serverAuth "DNS:localhost,IP:127.0.0.1"
issue client "/CN=Protoloop Test Client" clientAuth
openssl pkcs12 -export -name server -inkey server.key -in server.crt -certfile ca.crt -passout pass:secret -out server.p12
