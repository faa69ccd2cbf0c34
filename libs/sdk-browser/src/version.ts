/** Sent as context.library.version with every message. Bump with the package. */
export const SDK_NAME = "@cascade/sdk-browser";
export const SDK_VERSION = "0.1.0";
