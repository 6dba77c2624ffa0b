// The SDK the widget runs on, handed over by whoever mounts it (the package's
// `./widget` entry, or its classic script): the widget's modules import nothing of the
// package themselves, so one build serves both.

/** The package's exports (`init`, `ChatSession`, `InboxClient`, `isOpenAt`, …). */
export let sdk = null;

export function useSdk(exports) {
  sdk = exports;
}
