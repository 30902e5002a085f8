'use strict';

const JPEG_SIGNATURE = Buffer.from([0xff, 0xd8, 0xff]);
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Enough leading bytes to recognise any of the signatures. */
const SIGNATURE_BYTES = PNG_SIGNATURE.length;

/**
 * The image type the bytes really are, by their signature.
 * @param {Buffer} leadingBytes
 * @returns {'image/jpeg' | 'image/png' | null}
 */
function detectImageType(leadingBytes) {
	if (leadingBytes.subarray(0, JPEG_SIGNATURE.length).equals(JPEG_SIGNATURE)) return 'image/jpeg';
	if (leadingBytes.subarray(0, PNG_SIGNATURE.length).equals(PNG_SIGNATURE)) return 'image/png';
	return null;
}

module.exports = { detectImageType, SIGNATURE_BYTES };
