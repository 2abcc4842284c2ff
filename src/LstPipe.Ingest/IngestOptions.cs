using LstPipe.Core.Errors;

namespace LstPipe.Ingest;

/// <summary>The validated options of <c>lstpipe ingest</c>.</summary>
public sealed record IngestOptions
{
    /// <summary>The recipe file (<c>pipelines/NAME.yaml</c>).</summary>
    public required string Recipe { get; init; }

    /// <summary>The folder holding the product's files.</summary>
    public required string Input { get; init; }

    /// <summary>The scene folder to write.</summary>
    public required string Output { get; init; }

    /// <summary>Scene id; by default the product id, else the output folder's name.</summary>
    public string? Id { get; init; }

    /// <summary>Replace an existing scene folder.</summary>
    public bool Force { get; init; }

    /// <summary>A target grid (CRS, resolution, bounds) in place of the recipe's.</summary>
    public Recipes.RecipeGrid? Grid { get; init; }

    /// <summary>A raster whose grid is the target (another region's scene, say), in place of the recipe's grid.</summary>
    public string? GridLike { get; init; }

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

        if (!Directory.Exists(Input))
        {
            throw new UsageException($"{Input}: no such input folder: --input names the folder holding the product's files");
        }

        if (GridLike is not null && !File.Exists(GridLike))
        {
            throw new UsageException($"{GridLike}: no such raster to take the target grid from");
        }

        if (BlockRows < 1)
        {
            throw new UsageException($"block rows {BlockRows} must be at least 1");
        }

        var output = Path.GetFullPath(Output);
        if (!Force && Directory.Exists(output) && Directory.EnumerateFileSystemEntries(output).Any())
        {
            throw new UsageException($"{Output}: exists and is not empty; choose another --out or pass --force");
        }

        return this;
    }
}
