/**
 * Input limits shared by the REST API, the gateway and the SDK. They are part of the public
 * contract: every limit here is listed in the README's "Limits" table.
 */
export const limits = {
  /** Longest user id (the JWT `sub`), in characters. */
  userIdLength: 255,
  /** Most user ids in one `POST /v1/notifications`. */
  userIdsPerRequest: 10_000,
  /** Most roles in one target or on one recipient. */
  rolesPerRequest: 50,
  roleLength: 64,
  typeKeyLength: 64,
  titleLength: 200,
  bodyLength: 5_000,
  /** `data` serialised as JSON, in bytes. */
  dataBytes: 8_192,
  /** Deepest nesting of arrays and objects in any JSON input (a body, `data`). */
  jsonDepth: 32,
  urlLength: 2_048,
  idempotencyKeyLength: 255,
  /** Largest JSON request body, in bytes (10,000 user ids fit). */
  requestBodyBytes: 512 * 1024,
  pageSizeDefault: 20,
  pageSizeMax: 100,
  idsPerReadRequest: 100,
  /** Most ids in one bulk `POST /v1/notifications/read` or `/delete`. */
  idsPerBulkRequest: 500,
  /** Longest `q` search text on a list, in characters. */
  searchLength: 200,
  templateLength: 100_000,
  descriptionLength: 1_000,
  /** Longest window of `GET /v1/admin/stats/timeseries`, in milliseconds (7 days). */
  timeseriesSpanMs: 7 * 24 * 3_600_000,
  /** Most buckets one timeseries answer may hold (a day by minute fits). */
  timeseriesBucketsMax: 1_500,
  /** The timeseries window when `from` is left out, in milliseconds before `to`. */
  timeseriesSpanDefaultMs: 3_600_000,
} as const;
