/** Bytes to upload, such as a photo: a Blob (or File), a Uint8Array (Node's Buffer is one) or an ArrayBuffer. */
export type BinaryBody = Blob | Uint8Array | ArrayBuffer;

/** Wraps bytes in a Blob of the given media type, which the generated client sends as they are. */
export function toBlob(body: BinaryBody, contentType: string): Blob {
  if (body instanceof Blob) return body;
  // The copy gives the Blob bytes of its own, as the DOM types require for a Buffer's memory.
  return new Blob([body instanceof ArrayBuffer ? body : new Uint8Array(body)], { type: contentType });
}
