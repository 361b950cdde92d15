#!/bin/sh
# Regenerates the S/MIME fixtures with the openssl command line (run from this folder).
# The key and certificate are throwaway, made here, for these fixtures only.
set -e
openssl req -x509 -newkey rsa:2048 -nodes -keyout key.pem -out cert.pem -days 36500 \
  -subj '/CN=mailward fixture' 2>/dev/null
printf 'Content-Type: multipart/mixed; boundary="in"\r\n\r\n--in\r\nContent-Type: text/plain\r\n\r\nSee the update.\r\n--in\r\nContent-Type: application/octet-stream; name="update.exe"\r\nContent-Disposition: attachment; filename="update.exe"\r\nContent-Transfer-Encoding: base64\r\n\r\nTVqQAAMAAAAEAAAA//8AALgAAAAAAAAAQAAAAAAAAAA=\r\n--in--\r\n' > exe-entity.txt
printf 'Content-Type: text/plain; charset=us-ascii\r\n\r\nThe minutes of the meeting, signed.\r\n' > benign-entity.txt
# Opaque signed, as a whole message (Content-Type: application/x-pkcs7-mime; smime-type=signed-data).
openssl smime -sign -nodetach -in exe-entity.txt -signer cert.pem -inkey key.pem -outform SMIME \
  -from a@example.org -to b@acme.example -subject update > exe-signed.eml
openssl smime -sign -nodetach -in benign-entity.txt -signer cert.pem -inkey key.pem -outform SMIME \
  -from a@example.org -to b@acme.example -subject minutes > benign-signed.eml
# DER (definite lengths), BER from -stream (indefinite lengths, constructed OCTET STRING), PEM.
openssl smime -sign -nodetach -binary -in exe-entity.txt -signer cert.pem -inkey key.pem -outform DER > exe-signed.der
openssl smime -sign -nodetach -binary -stream -in exe-entity.txt -signer cert.pem -inkey key.pem -outform DER > exe-signed-stream.der
openssl cms -sign -nodetach -binary -stream -in exe-entity.txt -signer cert.pem -inkey key.pem -outform DER > exe-cms-stream.der
openssl smime -sign -nodetach -binary -in exe-entity.txt -signer cert.pem -inkey key.pem -outform PEM > exe-signed.pem
# Signed inside signed (the signed message above, signed again).
openssl smime -sign -nodetach -binary -in exe-signed.eml -signer cert.pem -inkey key.pem -outform DER > twice-signed.der
# Detached: the signature alone (no content to open).
openssl smime -sign -binary -in exe-entity.txt -signer cert.pem -inkey key.pem -outform DER > detached.der
# Enveloped (encrypted) and a CAdES-style signed file (a program as the signed content).
openssl smime -encrypt -aes256 -binary -in exe-entity.txt -outform DER cert.pem > enveloped.der
printf 'MZ\220\0\3\0\0\0\4\0\0\0\377\377\0\0' > tool.bin
openssl cms -sign -nodetach -binary -in tool.bin -signer cert.pem -inkey key.pem -outform DER > tool-file.der
rm -f tool.bin key.pem cert.pem
