// Verify the XML-DSig signature of an edXML message with xml-crypto, the way a .NET
// SignedXml-style integrator does: the signer's certificate is given (trust is judged apart).
// Usage: node verify-xml.js MESSAGE.xml SIGNER-CERT.pem   -> prints "valid", exit 0
//                                                          -> prints "invalid: ...", exit 1
"use strict";
const fs = require("fs");
const { DOMParser } = require("@xmldom/xmldom");
const { SignedXml } = require("xml-crypto");

const [messagePath, certificatePath] = process.argv.slice(2);
const xml = fs.readFileSync(messagePath, "utf8");
const document = new DOMParser().parseFromString(xml, "text/xml");
const signatures = document.getElementsByTagNameNS("http://www.w3.org/2000/09/xmldsig#", "Signature");
if (signatures.length !== 1) {
  console.log(`invalid: ${signatures.length} signatures`);
  process.exit(1);
}
const verifier = new SignedXml({ publicCert: fs.readFileSync(certificatePath) });
verifier.loadSignature(signatures[0]);
try {
  if (verifier.checkSignature(xml)) {
    console.log(`valid: ${verifier.getSignedReferences().length} references`);
    process.exit(0);
  }
  console.log("invalid: the signature does not verify");
} catch (error) {
  console.log(`invalid: ${error.message}`);
}
process.exit(1);
