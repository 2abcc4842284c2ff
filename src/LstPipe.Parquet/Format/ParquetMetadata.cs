using LstPipe.Parquet.Thrift;

namespace LstPipe.Parquet.Format;

/// <summary>Builds and parses the parquet.thrift structures lstpipe uses (field ids as in the specification).</summary>
internal static class ParquetMetadata
{
    private const int Required = 0;
    private const int Optional = 1;
    private const int Repeated = 2;
    private const int ConvertedUtf8 = 0;
    private const int ConvertedList = 3;

    public static ThriftStruct DataPageHeader(ColumnEncoder encoder, int uncompressed, int compressed, int entries) =>
        new ThriftStruct()
            .Set(1, 0)
            .Set(2, uncompressed)
            .Set(3, compressed)
            .Set(5, new ThriftStruct()
                .Set(1, entries)
                .Set(2, (int)encoder.ValueEncoding)
                .Set(3, (int)ParquetEncoding.Rle)
                .Set(4, (int)ParquetEncoding.Rle));

    public static ThriftStruct ColumnMetaData(ColumnEncoder encoder, ParquetCodec codec, long values, long uncompressed, long compressed, long offset)
    {
        var encodings = new List<int> { (int)ParquetEncoding.Rle, (int)encoder.ValueEncoding }.Distinct();
        var stats = new ThriftStruct()
            .Set(3, encoder.NullCount)
            .Set(5, encoder.Max)
            .Set(6, encoder.Min);
        return new ThriftStruct()
            .Set(1, (int)encoder.Spec.Type)
            .Set(2, ThriftList.OfInts(encodings))
            .Set(3, ThriftList.OfStrings(encoder.Spec.Path))
            .Set(4, (int)codec)
            .Set(5, values)
            .Set(6, uncompressed)
            .Set(7, compressed)
            .Set(9, offset)
            .Set(12, stats);
    }

    public static ThriftStruct FileMetaData(IReadOnlyList<ColumnSpec> schema, long rows, IReadOnlyList<ThriftStruct> rowGroups,
        IReadOnlyDictionary<string, string> keyValues, string createdBy)
    {
        var elements = new List<ThriftStruct> { new ThriftStruct().Set(4, "schema").Set(5, schema.Count) };
        foreach (var c in schema)
        {
            switch (c.Shape)
            {
                case ColumnShape.List:
                    elements.Add(new ThriftStruct().Set(3, Required).Set(4, c.Name).Set(5, 1).Set(6, ConvertedList)
                        .Set(10, new ThriftStruct().Set(3, new ThriftStruct())));
                    elements.Add(new ThriftStruct().Set(3, Repeated).Set(4, "list").Set(5, 1));
                    elements.Add(Leaf(c, "element", Required));
                    break;
                default:
                    elements.Add(Leaf(c, c.Name, c.Shape == ColumnShape.Optional ? Optional : Required));
                    break;
            }
        }

        var typeDefinedOrder = new ThriftStruct().Set(1, new ThriftStruct());
        return new ThriftStruct()
            .Set(1, 1)
            .Set(2, ThriftList.OfStructs(elements))
            .Set(3, rows)
            .Set(4, ThriftList.OfStructs(rowGroups))
            .Set(5, ThriftList.OfStructs(keyValues.OrderBy(k => k.Key, StringComparer.Ordinal)
                .Select(kv => new ThriftStruct().Set(1, kv.Key).Set(2, kv.Value))))
            .Set(6, createdBy)
            .Set(7, ThriftList.OfStructs(schema.Select(_ => typeDefinedOrder)));
    }

    private static ThriftStruct Leaf(ColumnSpec c, string name, int repetition)
    {
        var s = new ThriftStruct().Set(1, (int)c.Type).Set(3, repetition).Set(4, name);
        if (c.IsString)
        {
            s.Set(6, ConvertedUtf8).Set(10, new ThriftStruct().Set(1, new ThriftStruct()));
        }

        return s;
    }

    /// <summary>Reads our column shapes back from a flattened schema.</summary>
    public static List<ColumnSpec> ParseSchema(IReadOnlyList<object> elements)
    {
        var list = elements.Cast<ThriftStruct>().ToList();
        if (list.Count == 0)
        {
            throw new FormatException("the schema is empty");
        }

        var columns = new List<ColumnSpec>();
        var i = 1;
        var children = list[0].Int(5, "schema root");
        for (var c = 0; c < children; c++)
        {
            if (i >= list.Count)
            {
                throw new FormatException("the schema ends early");
            }

            var e = list[i];
            var name = e.String(4, "schema element");
            if (e.Get(5) is not null)
            {
                if (i + 2 >= list.Count || list[i + 1].OptionalInt(3) != Repeated || list[i + 2].Get(1) is null)
                {
                    throw new FormatException($"column {name}: only LIST<primitive> groups are supported");
                }

                columns.Add(new ColumnSpec(name, (PhysicalType)list[i + 2].Int(1, name), ColumnShape.List));
                i += 3;
            }
            else
            {
                var type = (PhysicalType)e.Int(1, name);
                var shape = e.OptionalInt(3) == Optional ? ColumnShape.Optional : ColumnShape.Required;
                var isString = e.OptionalInt(6) == ConvertedUtf8 || e.OptionalStruct(10)?.Get(1) is not null;
                columns.Add(new ColumnSpec(name, type, shape, isString && type == PhysicalType.ByteArray));
                i++;
            }
        }

        return columns;
    }
}
