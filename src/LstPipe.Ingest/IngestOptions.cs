using LstPipe.Core.Errors;
using LstPipe.Core.Options;

namespace LstPipe.Ingest;

/// <summary>The options of <c>lstpipe ingest</c>; the only declaration of them (a recipe's region gives the recipe
/// and product folder itself, <see cref="Grid"/> and <see cref="GridLike"/> are set by pipelines).</summary>
public sealed record IngestOptions
{
    /// <summary>The recipe file (<c>pipelines/NAME.yaml</c>).</summary>
    [Option("recipe", "Sensor recipe (pipelines/NAME.yaml)", Alias = "-r", Required = true, Scope = OptionScope.CommandLine)]
    public string Recipe { get; init; } = "";

    /// <summary>The folder holding the product's files, or a single-file product (a MODIS HDF granule).</summary>
    [Option("input", "Folder holding the product's files, or the product file itself (a MODIS .hdf granule)", Alias = "-i",
        Required = true, Scope = OptionScope.CommandLine)]
    public string Input { get; init; } = "";

    /// <summary>The scene folder to write.</summary>
    [Option("out", "Scene folder to write", Alias = "-o", Required = true, Scope = OptionScope.CommandLine)]
    public string Output { get; init; } = "";

    /// <summary>Scene id; by default the product id, else the output folder's name.</summary>
    [Option("id", "Scene id (default: the product id)", Scope = OptionScope.CommandLine)]
    public string? Id { get; init; }

    /// <summary>Replace an existing scene folder.</summary>
    [Option("force", "Replace a non-empty output folder (the old one is kept until the new one is whole)", Scope = OptionScope.CommandLine)]
    public bool Force { get; init; }

    /// <summary>A target grid (CRS, resolution, bounds) in place of the recipe's.</summary>
    public Recipes.RecipeGrid? Grid { get; init; }

    /// <summary>A raster whose grid is the target (another region's scene, say), in place of the recipe's grid.</summary>
    public string? GridLike { get; init; }

    /// <summary>The local files of a STAC item's assets by key, all in <see cref="Input"/> (set by pipelines whose
    /// region is a STAC query): the recipe's bands are read by their <c>asset</c> keys.</summary>
    public IReadOnlyDictionary<string, string>? Assets { get; init; }

    /// <summary>Names the STAC item the assets come from, in messages and provenance.</summary>
    public string? Item { get; init; }

    /// <summary>Rows processed per block (memory is proportional to rows x width x bands).</summary>
    public int BlockRows { get; init; } = 256;

    /// <summary>The command line, recorded in the scene's provenance.</summary>
    public string Command { get; init; } = "lstpipe ingest";

    /// <summary>Checks the options and returns them.</summary>
    /// <exception cref="UsageException">A path is missing or a value is out of range.</exception>
    public IngestOptions Validate()
    {
        if (!File.Exists(Recipe))
        {
            throw new UsageException($"{Recipe}: no such recipe file; the shipped recipes are in pipelines/");
        }

        if (!Directory.Exists(Input) && !File.Exists(Input))
        {
            throw new UsageException($"{Input}: no such input folder or file: --input names the folder holding the product's " +
                $"files, or a single-file product (a MODIS .hdf granule)");
        }

        if (GridLike is not null && !File.Exists(GridLike))
        {
            throw new UsageException($"{GridLike}: no such raster to take the target grid from");
        }

        if (BlockRows < 1)
        {
            throw new UsageException($"block rows {BlockRows} must be at least 1");
        }

        return this;
    }
}
