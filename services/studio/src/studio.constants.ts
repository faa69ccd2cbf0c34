/** studio's database schema and consumer group. */
export const STUDIO_SCHEMA = "studio";
export const STUDIO_GROUP = "studio";
