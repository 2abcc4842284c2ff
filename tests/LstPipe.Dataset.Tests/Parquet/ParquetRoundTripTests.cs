using LstPipe.Core.Errors;
using LstPipe.Dataset.Parquet;

namespace LstPipe.Dataset.Tests.Parquet;

public class ParquetRoundTripTests
{
    private static readonly ColumnSpec[] Schema =
    [
        new("id", PhysicalType.Int32),
        new("big", PhysicalType.Int64),
        ColumnSpec.String("label"),
        new("maybe", PhysicalType.Int32, ColumnShape.Optional),
        new("score", PhysicalType.Double),
        new("coords", PhysicalType.Double, ColumnShape.List),
        ColumnSpec.FloatList("values"),
    ];

    private static List<ColumnValues> Rows(int first, int n)
    {
        var rng = new Random(first);
        return
        [
            new(Schema[0], Enumerable.Range(first, n).ToArray()),
            new(Schema[1], Enumerable.Range(first, n).Select(i => (long)i << 40).ToArray()),
            new(Schema[2], Enumerable.Range(first, n).Select(i => $"tile-{i:D3}-é").ToArray()),
            new(Schema[3], Enumerable.Range(first, n).Select(i => i % 3 == 0 ? (int?)null : i * 10).ToArray()),
            new(Schema[4], Enumerable.Range(first, n).Select(i => i / 7.0).ToArray()),
            new(Schema[5], Enumerable.Range(first, n).Select(i => new[] { i, 30.0, 0, -i, 0, -30.0 }).ToArray()),
            new(Schema[6], Enumerable.Range(first, n).Select(i => i % 5 == 4
                ? Array.Empty<float>()
                : Enumerable.Range(0, 1000 + i).Select(_ => (float)(280 + 20 * rng.NextDouble())).ToArray()).ToArray()),
        ];
    }

    private static string Write(TempDir dir, ParquetWriterOptions options, params List<ColumnValues>[] groups)
    {
        var path = dir.File("t.parquet");
        using var w = ParquetFileWriter.Create(path, Schema, options);
        foreach (var g in groups)
        {
            w.WriteRowGroup(g);
        }

        w.Commit();
        return path;
    }

    [Theory]
    [InlineData(ParquetCodec.Uncompressed, false)]
    [InlineData(ParquetCodec.Gzip, true)]
    [InlineData(ParquetCodec.Zstd, true)]
    [InlineData(ParquetCodec.Zstd, false)]
    public void Every_shape_round_trips_exactly(ParquetCodec codec, bool byteStreamSplit)
    {
        using var dir = new TempDir();
        var groups = new[] { Rows(0, 23), Rows(23, 9) };
        var path = Write(dir, new ParquetWriterOptions
        {
            Codec = codec,
            ByteStreamSplit = byteStreamSplit,
            MaxPageBytes = 16_000,
            Metadata = new Dictionary<string, string> { ["card"] = "{\"a\": 1}" },
        }, groups);

        using var r = ParquetFileReader.Open(path);
        Assert.Equal(32, r.NumRows);
        Assert.Equal(2, r.RowGroupCount);
        Assert.Equal(Schema, r.Schema);
        Assert.Equal("{\"a\": 1}", r.Metadata["card"]);
        for (var g = 0; g < 2; g++)
        {
            var back = r.ReadRowGroup(g);
            for (var c = 0; c < Schema.Length; c++)
            {
                var expected = groups[g][c].Values;
                var actual = back[c].Values;
                Assert.Equal(expected.Length, actual.Length);
                for (var i = 0; i < expected.Length; i++)
                {
                    var e = expected.GetValue(i);
                    var a = actual.GetValue(i);
                    if (e is Array ea)
                    {
                        Assert.Equal(ea.Cast<object>(), ((Array)a!).Cast<object>());
                    }
                    else
                    {
                        Assert.Equal(e, a);
                    }
                }
            }
        }

        var chunks = r.ColumnChunks(0);
        Assert.Equal(0, chunks[0].Min);
        Assert.Equal(22, chunks[0].Max);
        Assert.Equal(8L, chunks[3].NullCount);
        Assert.Equal("tile-000-é", chunks[2].Min);
        Assert.Contains(byteStreamSplit ? ParquetEncoding.ByteStreamSplit : ParquetEncoding.Plain, chunks[6].Encodings);
    }

    [Fact]
    public void A_writer_disposed_without_commit_leaves_nothing()
    {
        using var dir = new TempDir();
        using (var w = ParquetFileWriter.Create(dir.File("x.parquet"), Schema))
        {
            w.WriteRowGroup(Rows(0, 3));
        }

        Assert.Empty(Directory.GetFileSystemEntries(dir.Path));
    }

    [Fact]
    public void Truncated_wrong_magic_and_corrupted_metadata_are_one_line_errors_naming_the_file()
    {
        using var dir = new TempDir();
        var bytes = File.ReadAllBytes(Write(dir, new ParquetWriterOptions(), Rows(0, 10)));

        void Expect(string name, byte[] content, string message)
        {
            File.WriteAllBytes(dir.File(name), content);
            var e = Assert.Throws<DataException>(() =>
            {
                using var r = ParquetFileReader.Open(dir.File(name));
                for (var g = 0; g < r.RowGroupCount; g++)
                {
                    r.ReadRowGroup(g);
                }
            });
            Assert.StartsWith(dir.File(name) + ": ", e.Message);
            Assert.Contains(message, e.Message);
            Assert.DoesNotContain('\n', e.Message);
        }

        Expect("cut.parquet", bytes[..(bytes.Length / 2)], "not a readable Parquet file");
        var magic = (byte[])bytes.Clone();
        magic[^1] = (byte)'X';
        Expect("magic.parquet", magic, "not a readable Parquet file");
        var meta = (byte[])bytes.Clone();
        var footerLength = BitConverter.ToInt32(bytes, bytes.Length - 8);
        for (var i = bytes.Length - 8 - footerLength; i < bytes.Length - 8 - footerLength / 2; i++)
        {
            meta[i] ^= 0x5A;
        }

        Expect("meta.parquet", meta, "Parquet");
        var page = (byte[])bytes.Clone();
        for (var i = 40; i < 400; i++)
        {
            page[i] ^= 0x33;
        }

        Expect("page.parquet", page, "corrupt or unreadable Parquet data");
    }

    [Fact]
    public void One_flipped_bit_in_a_data_page_fails_its_crc32_instead_of_changing_a_value()
    {
        using var dir = new TempDir();
        var path = Write(dir, new ParquetWriterOptions { Codec = ParquetCodec.Uncompressed }, Rows(0, 10));
        var bytes = File.ReadAllBytes(path);
        long offset;
        using (var r = ParquetFileReader.Open(path))
        {
            var chunk = r.ColumnChunks(0)[6];
            Assert.True(chunk.CompressedBytes > 1000);
            offset = bytes.Length / 2;
        }

        bytes[offset] ^= 0x04;
        File.WriteAllBytes(dir.File("flip.parquet"), bytes);
        var e = Assert.Throws<DataException>(() =>
        {
            using var r = ParquetFileReader.Open(dir.File("flip.parquet"));
            r.ReadRowGroup(0);
        });
        Assert.StartsWith(dir.File("flip.parquet") + ": corrupt or unreadable Parquet data", e.Message);
        Assert.Contains("CRC", e.Message, StringComparison.OrdinalIgnoreCase);
    }
}
