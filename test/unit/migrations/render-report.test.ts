import { describe, expect, it } from "vitest";
import { formatLocks } from "../../../src/migrations/render-report.js";
import { formatBytes, formatMs } from "../../../src/util/format.js";

describe("report formatting", () => {
  it("shows the strongest lock per existing relation, tables first, without locks on new relations", () => {
    expect(
      formatLocks([
        { relation: "public.t_pkey", mode: "AccessExclusiveLock", newRelation: false, kind: "index" },
        { relation: "public.t", mode: "ShareLock", newRelation: false, kind: "table" },
        { relation: "public.t", mode: "AccessExclusiveLock", newRelation: false, kind: "table" },
        { relation: "public.u", mode: "RowExclusiveLock", newRelation: false, kind: "table" },
        { relation: "public.new", mode: "AccessExclusiveLock", newRelation: true, kind: "other" },
      ]),
    ).toBe("AccessExclusive public.t, AccessExclusive public.t_pkey, RowExclusive public.u");
    expect(formatLocks([])).toBe("-");
  });

  it("formats sizes and durations", () => {
    expect(formatBytes(512)).toBe("512 B");
    expect(formatBytes(8192)).toBe("8.0 kB");
    expect(formatBytes(300 * 1024 * 1024)).toBe("300 MB");
    expect(formatMs(12.3)).toBe("12 ms");
    expect(formatMs(1234)).toBe("1.2 s");
    expect(formatMs(125_000)).toBe("2 min 5 s");
  });
});
