import { PGlite } from "@electric-sql/pglite";
let t = performance.now(); const a = await PGlite.create(); console.log("create", performance.now() - t);
t = performance.now(); const b = await PGlite.create(); console.log("create2", performance.now() - t);
t = performance.now(); const c = await (a as any).clone(); console.log("clone", performance.now() - t);
