/**
 * Settings of the servers postkit starts (docker and embedded). A clone is disposable: durability is traded for
 * restore speed (no fsync, and wal_level=minimal so a COPY into a table created in the same transaction writes
 * no WAL). Nothing here changes how SQL behaves.
 */
export const CLONE_SERVER_SETTINGS: Readonly<Record<string, string>> = {
  fsync: "off",
  full_page_writes: "off",
  synchronous_commit: "off",
  wal_level: "minimal",
  max_wal_senders: "0",
  max_wal_size: "4GB",
  checkpoint_timeout: "30min",
  maintenance_work_mem: "256MB",
};

/** Ports postkit's local servers use (PostKit's range), bound to 127.0.0.1 only. */
export const PORT_RANGE = { from: 15432, to: 15532 } as const;
