using LstPipe.Core.Units;

namespace LstPipe.Dataset.Crop;

/// <summary>The tiles a scene holds: tile (row, col) covers the base-grid window starting at
/// (col * step, row * step), <c>size</c> pixels square. Edges that cannot hold a whole tile are dropped.</summary>
public sealed record TileGrid
{
    /// <summary>Lays tiles of <paramref name="size"/> pixels every <paramref name="step"/> pixels over a scene.</summary>
    public TileGrid(int sceneWidth, int sceneHeight, Pixels size, Pixels step)
    {
        if (step.Value < 1 || size.Value < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(step), "tile size and step must be positive");
        }

        SceneWidth = sceneWidth;
        SceneHeight = sceneHeight;
        Size = size;
        Step = step;
        Columns = sceneWidth < size.Value ? 0 : (sceneWidth - size.Value) / step.Value + 1;
        Rows = sceneHeight < size.Value ? 0 : (sceneHeight - size.Value) / step.Value + 1;
    }

    /// <summary>Scene width.</summary>
    public int SceneWidth { get; }

    /// <summary>Scene height.</summary>
    public int SceneHeight { get; }

    /// <summary>Tile edge on the base grid.</summary>
    public Pixels Size { get; }

    /// <summary>Distance between tile origins.</summary>
    public Pixels Step { get; }

    /// <summary>Tiles per row.</summary>
    public int Columns { get; }

    /// <summary>Rows of tiles.</summary>
    public int Rows { get; }

    /// <summary>All tile positions.</summary>
    public int Count => Columns * Rows;

    /// <summary>The window of tile (<paramref name="row"/>, <paramref name="col"/>) on the base grid.</summary>
    public PixelWindow Window(int row, int col) => new(col * Step.Value, row * Step.Value, Size.Value, Size.Value);

    /// <summary>Columns of the scene that some tile covers.</summary>
    public int CoveredWidth => Columns == 0 ? 0 : (Columns - 1) * Step.Value + Size.Value;

    /// <summary>Rows of the scene that some tile covers.</summary>
    public int CoveredHeight => Rows == 0 ? 0 : (Rows - 1) * Step.Value + Size.Value;

    /// <summary>Percentage of the scene's pixels inside some tile.</summary>
    public double CoveragePercent => 100.0 * CoveredWidth * CoveredHeight / ((double)SceneWidth * SceneHeight);
}
