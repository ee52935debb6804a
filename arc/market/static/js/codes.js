// Voucher codes as traders enter them: the area's letters followed by the printed numbers.

// The service compares codes with all whitespace removed and in upper case; so does the app.
export function normaliseCode(text) {
  return String(text || "").replace(/\s+/g, "").toUpperCase();
}

// Limits of the two boxes on the "type a code" screen: an area's letters are 2 to 5 long, and
// the previous trader app took up to 8 digits.
export const MAX_LETTERS = 5;
export const MAX_NUMBERS = 8;

// Returns an error message for the letters and numbers a trader typed, or null when they look right.
export function checkTypedCode(letters, numbers) {
  if (!/^[A-Z]{1,5}$/.test(letters)) {
    return "Enter the letters at the start of the voucher code (up to 5 letters).";
  }
  if (numbers === "") {
    return "Enter the numbers from the voucher.";
  }
  if (!/^[0-9]{1,8}$/.test(numbers)) {
    return "The numbers can only be digits 0 to 9, up to 8 of them.";
  }
  return null;
}

// A scanned or pasted code: letters then digits, nothing else.
export function looksLikeCode(code) {
  return /^[A-Z]{1,5}[0-9]{1,8}$/.test(code);
}
