export { ALL_SERVICES } from "./services.js";
