using System.Globalization;
using LstPipe.Core.Compression;
using LstPipe.Core.Errors;
using LstPipe.Core.IO;
using LstPipe.Core.Units;
using LstPipe.Dataset.Cards;
using LstPipe.Dataset.Mat;
using LstPipe.Raster.Checks;
using LstPipe.Raster.Gdal;
using LstPipe.Raster.Scenes;

namespace LstPipe.Dataset.Crop;

/// <summary>
/// The real-LR level of <c>crop --real-lr</c>: for every tile, a coarse sensor's own LST (MODIS) on the tile's grid at
/// the simulated level nearest the sensor's native resolution, written as <c>LEVEL-real/lst/NNNNN.mat</c>. Each LR
/// pixel is GDAL's average of the sensor's valid pixels weighted by their overlap with it; a pixel whose overlap is
/// less than <see cref="CropOptions.CoarseMinValidFraction"/> valid (cloud, fill, outside the granule) is NaN. The
/// card records the source, the time gap to each truth scene, every tile's coverage and its bias and RMSE against the
/// simulated level.
/// </summary>
internal static class RealLrLevel
{
    /// <summary>What the real level's folder adds to the simulated level's label.</summary>
    public const string Suffix = "-real";

    /// <summary>Opens the coarse scene before any tile is cut and refuses one that covers none of the scenes.</summary>
    /// <exception cref="DataException">The coarse scene lies elsewhere.</exception>
    public static void Check(CropOptions o, RunPlan plan)
    {
        var coarse = SceneFolder.Open(Path.Combine(o.WorkingDirectory, o.RealLr!));
        using (var lst = coarse.OpenLst())
        {
            LstCheck.Band(lst, 1, new LstPlace(coarse.LstPath, lst.Width, 0, coarse.LstUnit,
                "fix the coarse scene's unit (scene.json lst.unit) or ingest it again; nothing was cropped"));
        }

        var m = coarse.Manifest;
        var crs = Crs.FromWkt(m.Crs.Wkt, Path.Combine(o.RealLr!, SceneFolder.ManifestFileName));
        var bounds = new RasterGrid(m.Crs.Wkt, m.Transform, m.Width, m.Height).Bounds;
        foreach (var sp in plan.Scenes)
        {
            var own = new RasterGrid(sp.Crs.Wkt, sp.Transform, sp.Width, sp.Height).Bounds;
            if ((sp.Crs.IsSameAs(crs) ? bounds : crs.TransformBounds(bounds, sp.Crs)).Overlaps(own))
            {
                return;
            }
        }

        throw new DataException($"{o.RealLr}: the coarse scene ({m.Provenance.Sensor ?? m.Id}) covers none of the scenes " +
            $"cropped; give the granule that holds them (MODIS tiles: h/v on the sinusoidal grid)");
    }

    /// <summary>Writes the real level of the tiles (already written at every simulated level) and returns its card entry.</summary>
    public static CardRealLr Write(CropOptions o, RunPlan plan, IReadOnlyList<TileRecord> tiles, string output)
    {
        var given = o.RealLr!;
        var coarse = SceneFolder.Open(Path.Combine(o.WorkingDirectory, given));
        var m = coarse.Manifest;
        var native = m.Lst.NativeResolutionMetres
            ?? GroundPixel.Of(new RasterGrid(m.Crs.Wkt, m.Transform, m.Width, m.Height), given).NominalMetres;
        var s = Enumerable.Range(0, o.Scales.Count)
            .MinBy(i => Math.Abs(Math.Log(plan.BaseGsd.Size.Value * o.Scales[i].Value / native)));
        var (f, label) = (o.Scales[s].Value, plan.Labels[s]);
        var cs = o.TileSize / f;
        var folder = Directory.CreateDirectory(Path.Combine(output, label + Suffix, DatasetLayout.LstFolder));
        foreach (var leftover in folder.EnumerateFiles().Where(x => AtomicFile.IsTemporaryName(x.Name)))
        {
            leftover.Delete();
        }

        var minCoverage = o.RealMinCoverage ?? 1;
        var records = new List<CardRealTile>();
        var (differences, moments) = (new BandMoments(), new BandMoments());
        var work = Directory.CreateDirectory(Path.Combine(output, AtomicFile.TemporaryName("real-lr"))).FullName;
        using var compressor = o.Compress ? new DeflateCompressor(o.CompressionLevel) : null;
        try
        {
            var validity = WriteValidity(coarse, Path.Combine(work, "valid.tif"));
            foreach (var sp in plan.Scenes)
            {
                var t = sp.Transform;
                var level = new RasterGrid(sp.Crs.Wkt, GeoTransform.NorthUp(t.OriginX, t.OriginY, t.PixelWidth * f), sp.Width / f,
                    sp.Height / f);
                var lst = ToKelvin(WarpAndRead(coarse.LstPath, level, Path.Combine(work, "lst.tif")), coarse.LstUnit);
                var share = WarpAndRead(validity, level, Path.Combine(work, "share.tif"));
                foreach (var tile in tiles.Where(x => x.Scene == sp.Scene.Manifest.Id))
                {
                    var values = new float[cs * cs];
                    for (var r = 0; r < cs; r++)
                    {
                        for (var c = 0; c < cs; c++)
                        {
                            var i = ((tile.Y / f) + r) * level.Width + (tile.X / f) + c;
                            values[r * cs + c] = share[i] >= o.CoarseMinValidFraction - 1e-9 ? lst[i] : float.NaN;
                        }
                    }

                    var simulated = MatFile.Read(DatasetLayout.LstPath(output, label, tile.Index), DatasetLayout.LstVariable).Values;
                    records.Add(Compare(tile.Index, values, simulated, minCoverage, differences));
                    moments.Add(values.Where(float.IsFinite).ToArray());
                    MatFile.Write(Path.Combine(folder.FullName, DatasetLayout.TileFileName(tile.Index)),
                        [new MatArray(DatasetLayout.LstVariable, cs, cs, values)], compressor);
                }
            }
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }

        return new CardRealLr
        {
            Folder = label + Suffix,
            Scale = label,
            Factor = f,
            ResolutionMetres = plan.BaseGsd.Size.Value * f,
            Source = given,
            SceneId = m.Id,
            Sha256 = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                [SceneFolder.ManifestFileName] = Checksums.Sha256(Path.Combine(coarse.Directory, SceneFolder.ManifestFileName)),
                [SceneFolder.LstFileName] = Checksums.Sha256(coarse.LstPath),
            },
            Sensor = m.Provenance.Sensor,
            ProductIds = m.Provenance.ProductIds,
            Acquired = m.Provenance.Acquired,
            ViewTimeLocalHours = m.Provenance.Parameters.TryGetValue("modis.view_time_local_h", out var h)
                && double.TryParse(h, CultureInfo.InvariantCulture, out var hours) ? hours : null,
            NativeResolutionMetres = native,
            MinCoverage = minCoverage,
            CoveredTiles = records.Count(r => r.Covered),
            UncoveredTiles = records.Where(r => !r.Covered).Select(r => r.Index).ToArray(),
            BiasK = differences.Mean,
            RmseK = differences.Count == 0 ? double.NaN : Math.Sqrt(differences.SumSquares / differences.Count),
            Statistics = new BandStatisticsEntry("lst", moments.Mean, moments.Std, moments.Min, moments.Max, moments.Count),
            Scenes = plan.Scenes.Select(sp => new CardRealScene(sp.Scene.Manifest.Id, sp.Scene.Manifest.Provenance.Acquired,
                HoursBetween(sp.Scene.Manifest.Provenance.Acquired, m.Provenance.Acquired))).ToArray(),
            Tiles = records.OrderBy(r => r.Index).ToArray(),
        };
    }

    /// <summary>A tile's coverage and its real-minus-simulated differences (added to <paramref name="all"/>).</summary>
    internal static CardRealTile Compare(int index, float[] real, float[] simulated, double minCoverage, BandMoments all)
    {
        var differences = new List<float>(real.Length);
        for (var i = 0; i < real.Length; i++)
        {
            if (float.IsFinite(real[i]) && float.IsFinite(simulated[i]))
            {
                differences.Add(real[i] - simulated[i]);
            }
        }

        var d = new BandMoments();
        d.Add(differences.ToArray());
        all.Add(d);
        var coverage = (double)real.Count(float.IsFinite) / real.Length;
        return new CardRealTile(index, Math.Round(coverage, 6), coverage >= minCoverage - 1e-9, d.Mean,
            d.Count == 0 ? double.NaN : Math.Sqrt(d.SumSquares / d.Count));
    }

    /// <summary>Hours from <paramref name="from"/> to <paramref name="to"/> (ISO dates or instants), or null.</summary>
    internal static double? HoursBetween(string? from, string? to)
    {
        const DateTimeStyles utc = DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal;
        return DateTimeOffset.TryParse(from, CultureInfo.InvariantCulture, utc, out var a)
            && DateTimeOffset.TryParse(to, CultureInfo.InvariantCulture, utc, out var b)
                ? Math.Round((b - a).TotalHours, 3) : null;
    }

    /// <summary>The values converted in place from <paramref name="unit"/> to Kelvin.</summary>
    private static float[] ToKelvin(float[] values, TemperatureUnit unit)
    {
        var (gain, offset) = LstUnits.KelvinLinear(unit);
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = (float)((values[i] * gain) + offset);
        }

        return values;
    }

    /// <summary>A raster on the coarse scene's grid holding 1 where its LST is valid and 0 elsewhere (no nodata), so that
    /// its average over an LR pixel is the valid share of the overlap.</summary>
    private static string WriteValidity(SceneFolder coarse, string path)
    {
        using var lst = coarse.OpenLst();
        var band = lst.GetBand(1);
        var nd = band.NoData;
        using var writer = GeoTiffWriter.Create(path, lst.Grid, 1,
            options: GeoTiffOptions.Default with { Compression = TiffCompression.None });
        foreach (var strip in lst.Extent.Strips(Math.Max(1, (1 << 20) / Math.Max(1, lst.Width))))
        {
            var values = new float[strip.Area];
            band.Read(strip, values);
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = float.IsFinite(values[i]) && values[i] != nd ? 1 : 0;
            }

            writer.Write(1, strip, values);
        }

        writer.Commit();
        return path;
    }

    /// <summary>The average of a raster's valid pixels over every pixel of <paramref name="grid"/>; NaN where none.</summary>
    private static float[] WarpAndRead(string source, RasterGrid grid, string path)
    {
        Warper.Warp(source, path, new WarpOptions
        {
            Target = grid,
            Method = Resampling.Average,
            DestinationNoData = SceneFolder.NoData,
            Output = GeoTiffOptions.Default with { Compression = TiffCompression.None },
        });
        using var d = RasterDataset.Open(path);
        var values = new float[grid.Width * grid.Height];
        d.GetBand(1).Read(d.Extent, values);
        values.AsSpan().Replace((float)SceneFolder.NoData, float.NaN);
        File.Delete(path);
        return values;
    }
}
