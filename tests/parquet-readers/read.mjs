// Reads a Parquet shard with an independent reader and prints what it saw as JSON:
//   node read.mjs duckdb|hyparquet FILE
// { reader, rows, columns: [{name, type}], metadataKeys, digests: [{tile_index, scale, scene, epsg, geotransform,
//   valid_fraction, arrays: {column: sha256 of the float32 little-endian bytes}}] }
import { createHash } from 'node:crypto';

const [reader, file] = process.argv.slice(2);
const floatColumns = (names) => names.filter((n) => !['tile_index', 'scale', 'scale_factor', 'name', 'scene', 'row', 'col',
  'height', 'width', 'epsg', 'crs_wkt', 'geotransform', 'valid_fraction'].includes(n));

// NaN is hashed as the canonical quiet NaN 0x7FC00000, whatever sign or payload the reader hands back.
function digest(values) {
  const bytes = Buffer.alloc(values.length * 4);
  for (let i = 0; i < values.length; i++) {
    if (Number.isNaN(values[i])) bytes.writeUInt32LE(0x7fc00000, i * 4);
    else bytes.writeFloatLE(values[i], i * 4);
  }
  return createHash('sha256').update(bytes).digest('hex');
}

function summarize(rows, names) {
  return rows.map((r) => ({
    tile_index: Number(r.tile_index),
    scale: r.scale,
    scene: r.scene,
    epsg: r.epsg === null || r.epsg === undefined ? null : Number(r.epsg),
    geotransform: Array.from(r.geotransform, Number),
    valid_fraction: Number(r.valid_fraction),
    length: r.lst.length,
    arrays: Object.fromEntries(floatColumns(names).map((n) => [n, digest(r[n])])),
  }));
}

if (reader === 'duckdb') {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const path = file.replaceAll("'", "''");
  const result = await con.runAndReadAll(`SELECT * FROM read_parquet('${path}')`);
  const names = result.columnNames();
  const types = result.columnTypes().map((t) => t.toString());
  const rows = result.getRowObjectsJS();
  const meta = await con.runAndReadAll(`SELECT key::VARCHAR AS k FROM parquet_kv_metadata('${path}')`);
  console.log(JSON.stringify({
    reader, rows: rows.length, columns: names.map((n, i) => ({ name: n, type: types[i] })),
    metadataKeys: meta.getRowObjectsJS().map((r) => r.k).sort(), digests: summarize(rows, names),
  }));
} else if (reader === 'hyparquet') {
  const { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } = await import('hyparquet');
  const { compressors } = await import('hyparquet-compressors');
  const buffer = await asyncBufferFromFile(file);
  const metadata = await parquetMetadataAsync(buffer);
  const schema = parquetSchema(metadata);
  const rows = await parquetReadObjects({ file: buffer, compressors });
  const names = schema.children.map((c) => c.element.name);
  const columns = schema.children.map((c) => ({
    name: c.element.name,
    type: c.children.length ? `LIST<${c.children[0].children[0].element.type}>` : c.element.type,
  }));
  console.log(JSON.stringify({
    reader, rows: rows.length, columns,
    metadataKeys: (metadata.key_value_metadata ?? []).map((kv) => kv.key).sort(), digests: summarize(rows, names),
  }));
} else {
  console.error('usage: node read.mjs duckdb|hyparquet FILE');
  process.exit(2);
}
