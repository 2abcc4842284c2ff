using System.Collections;
using System.Security.Cryptography;
using System.Text.Json;
using DuckDB.NET.Data;
using Parquet.Schema;

namespace LstPipe.Testing;

/// <summary>The independent Parquet readers tests check shards with, in process: DuckDB (through DuckDB.NET, its C++
/// reader) and Parquet.Net (a pure C# implementation). Each returns the same JSON report: rows, columns with their
/// types, key-value metadata keys, and per row the tile, scale, scene, EPSG, geotransform, valid fraction, array
/// length and a SHA-256 of every float array.</summary>
public static class ParquetReaders
{
    /// <summary>The two readers.</summary>
    public static readonly string[] All = ["duckdb", "parquet.net"];

    private static readonly HashSet<string> NotArrays =
        ["tile_index", "scale", "scale_factor", "name", "scene", "row", "col", "height", "width", "epsg", "crs_wkt", "geotransform", "valid_fraction"];

    /// <summary>Reads a tile shard with one reader and returns its report.</summary>
    public static JsonDocument Read(string reader, string path) => reader switch
    {
        "duckdb" => Report(reader, DuckDb(path)),
        "parquet.net" => Report(reader, ParquetNet(path)),
        _ => throw new ArgumentException($"unknown reader '{reader}'", nameof(reader)),
    };

    /// <summary>SHA-256 of float32 values as little-endian bytes, NaN written as the canonical quiet NaN.</summary>
    public static string Digest(ReadOnlySpan<float> values)
    {
        var canonical = values.ToArray();
        for (var i = 0; i < canonical.Length; i++)
        {
            if (float.IsNaN(canonical[i]))
            {
                canonical[i] = BitConverter.Int32BitsToSingle(0x7FC00000);
            }
        }

        return Convert.ToHexStringLower(SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(canonical.AsSpan())));
    }

    private sealed record Table(List<(string Name, string Type)> Columns, List<Dictionary<string, object?>> Rows, List<string> MetadataKeys);

    private static JsonDocument Report(string reader, Table t) => JsonDocument.Parse(JsonSerializer.Serialize(new
    {
        reader,
        rows = t.Rows.Count,
        columns = t.Columns.Select(c => new { name = c.Name, type = c.Type }),
        metadataKeys = t.MetadataKeys.Order(StringComparer.Ordinal),
        digests = t.Rows.Select(r => new
        {
            tile_index = Convert.ToInt32(r["tile_index"], System.Globalization.CultureInfo.InvariantCulture),
            scale = (string?)r["scale"],
            scene = (string?)r["scene"],
            epsg = r["epsg"] is null ? (int?)null : Convert.ToInt32(r["epsg"], System.Globalization.CultureInfo.InvariantCulture),
            geotransform = ((IEnumerable)r["geotransform"]!).Cast<object>().Select(v => Convert.ToDouble(v, System.Globalization.CultureInfo.InvariantCulture)).ToArray(),
            valid_fraction = Convert.ToDouble(r["valid_fraction"], System.Globalization.CultureInfo.InvariantCulture),
            length = ((ICollection)r["lst"]!).Count,
            arrays = t.Columns.Where(c => !NotArrays.Contains(c.Name)).ToDictionary(c => c.Name, c => Digest(((IEnumerable)r[c.Name]!).Cast<object>().Select(v => (float)v).ToArray())),
        }),
    }));

    private static Table DuckDb(string path)
    {
        using var con = new DuckDBConnection("Data Source=:memory:");
        con.Open();
        var quoted = path.Replace("'", "''", StringComparison.Ordinal);
        var columns = new List<(string, string)>();
        using (var cmd = con.CreateCommand())
        {
            cmd.CommandText = $"DESCRIBE SELECT * FROM read_parquet('{quoted}')";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                columns.Add((r.GetString(0), r.GetString(1)));
            }
        }

        var rows = new List<Dictionary<string, object?>>();
        using (var cmd = con.CreateCommand())
        {
            cmd.CommandText = $"SELECT * FROM read_parquet('{quoted}')";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add(Enumerable.Range(0, r.FieldCount).ToDictionary(r.GetName, i => r.IsDBNull(i) ? null : r.GetValue(i)));
            }
        }

        var keys = new List<string>();
        using (var cmd = con.CreateCommand())
        {
            cmd.CommandText = $"SELECT key::VARCHAR FROM parquet_kv_metadata('{quoted}')";
            using var r = cmd.ExecuteReader();
            while (r.Read())
            {
                keys.Add(r.GetString(0));
            }
        }

        return new Table(columns, rows, keys);
    }

    private static Table ParquetNet(string path) => ParquetNetAsync(path).GetAwaiter().GetResult();

    private static async Task<Table> ParquetNetAsync(string path)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        var fields = reader.Schema.Fields;
        var columns = fields.Select(f => (f.Name, f is ListField l ? $"LIST<{((DataField)l.Item).ClrType.Name}>" : ((DataField)f).ClrType.Name)).ToList();
        var rows = new List<Dictionary<string, object?>>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var group = reader.OpenRowGroupReader(g);
            var n = (int)group.RowCount;
            var values = new Dictionary<string, object?[]>();
            foreach (var f in fields)
            {
                var leaf = f is ListField l ? (DataField)l.Item : (DataField)f;
                var count = (int)group.GetMetadata(leaf)!.MetaData!.NumValues;
                var column = leaf.ClrType == typeof(float) ? await Leaves<float>(group, leaf, count)
                    : leaf.ClrType == typeof(double) ? await Leaves<double>(group, leaf, count)
                    : leaf.ClrType == typeof(int) ? await Leaves<int>(group, leaf, count)
                    : await Strings(group, leaf, count);
                values[f.Name] = f is ListField ? Split(column.Values, column.Repetition!, n) : column.Values;
            }

            for (var i = 0; i < n; i++)
            {
                rows.Add(fields.ToDictionary(f => f.Name, f => values[f.Name][i]));
            }
        }

        return new Table(columns, rows, [.. reader.CustomMetadata.Keys]);
    }

    private static async Task<(object?[] Values, int[]? Repetition)> Leaves<T>(Parquet.ParquetRowGroupReader group, DataField field, int count)
        where T : struct
    {
        var raw = new T[count];
        var definition = new int[count];
        var repetition = new int[count];
        await group.ReadRawAsync(field, raw.AsMemory(), definition.AsMemory(), repetition.AsMemory());
        return (Expand(raw, definition, field.MaxDefinitionLevel), repetition);
    }

    private static async Task<(object?[] Values, int[]? Repetition)> Strings(Parquet.ParquetRowGroupReader group, DataField field, int count)
    {
        var raw = new ReadOnlyMemory<char>[count];
        var definition = new int[count];
        var repetition = new int[count];
        await group.ReadRawAsync(field, raw.AsMemory(), definition.AsMemory(), repetition.AsMemory());
        return (Expand(raw.Select(m => (object)m.ToString()).ToArray(), definition, field.MaxDefinitionLevel), repetition);
    }

    /// <summary>Raw values (defined ones only, in order) back onto their level entries; null where undefined.</summary>
    private static object?[] Expand<T>(T[] raw, int[] definition, int max)
    {
        var result = new object?[definition.Length];
        var next = 0;
        for (var i = 0; i < definition.Length; i++)
        {
            result[i] = max == 0 || definition[i] == max ? raw[next++] : null;
        }

        return result;
    }

    private static object?[] Split(object?[] leaves, int[] repetition, int rows)
    {
        var result = new object?[rows];
        var row = -1;
        var current = new List<object?>();
        for (var i = 0; i < leaves.Length; i++)
        {
            if (repetition[i] == 0)
            {
                if (row >= 0)
                {
                    result[row] = current;
                }

                row++;
                current = [];
            }

            current.Add(leaves[i]);
        }

        if (row >= 0)
        {
            result[row] = current;
        }

        return result;
    }
}
