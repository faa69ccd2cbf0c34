export * from "./tracking-token.js";
