// Reading voucher barcodes with the phone's camera, through the browser's BarcodeDetector.
// Chrome on Android has it; where it is missing, the scan screen offers other ways in.

// Barcode types that printed vouchers may carry. The detector is given only those it supports.
const WANTED_FORMATS = ["code_128", "code_39", "code_93", "codabar", "itf", "ean_13", "qr_code", "data_matrix"];
const FRAME_INTERVAL_MS = 200;
// A voucher held in front of the camera is seen in many frames: read it again only after it has
// been out of view for this long.
const SAME_CODE_PAUSE_MS = 4000;

export function cameraScanningAvailable() {
  return "BarcodeDetector" in window && Boolean(navigator.mediaDevices && navigator.mediaDevices.getUserMedia);
}

// Start the camera in `video` and call `onCode(text)` for each new barcode read.
// Resolves with a function that stops the camera; rejects when the camera cannot be used.
export async function startScanner(video, onCode) {
  const supported = await window.BarcodeDetector.getSupportedFormats();
  const formats = WANTED_FORMATS.filter((format) => supported.includes(format));
  const detector = new window.BarcodeDetector(formats.length ? { formats } : undefined);
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false });
  video.srcObject = stream;
  await video.play();

  let running = true;
  let timer = null;
  const lastSeen = new Map();

  async function readFrame() {
    if (!running) {
      return;
    }
    if (video.readyState >= 2) {
      try {
        const now = Date.now();
        for (const barcode of await detector.detect(video)) {
          const seen = lastSeen.get(barcode.rawValue);
          lastSeen.set(barcode.rawValue, now);
          if (seen === undefined || now - seen > SAME_CODE_PAUSE_MS) {
            onCode(barcode.rawValue);
          }
        }
      } catch (error) {
        console.warn("Reading a camera frame failed.", error);
      }
    }
    timer = setTimeout(readFrame, FRAME_INTERVAL_MS);
  }
  readFrame();

  return () => {
    running = false;
    clearTimeout(timer);
    stream.getTracks().forEach((track) => track.stop());
    video.srcObject = null;
  };
}
