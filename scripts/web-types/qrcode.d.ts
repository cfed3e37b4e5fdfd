// qrcode-generator's ES module as the web app imports it (/vendor/qrcode.mjs, see tsconfig.json "paths"): its
// package declares the factory as a global, not as a module.
/// <reference path="../../node_modules/qrcode-generator/dist/qrcode.d.ts" />
declare const qrcode: QRCodeFactory;
export default qrcode;
