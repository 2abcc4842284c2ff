using Xunit;

namespace LstPipe.Testing;

/// <summary>A fact that needs the real rasters in <c>tests/data</c>; it is skipped, with a message saying so,
/// only where that folder is absent.</summary>
public sealed class SharedDataFactAttribute : FactAttribute
{
    /// <summary>Marks the test and skips it when the shared data is missing.</summary>
    public SharedDataFactAttribute()
    {
        if (!Directory.Exists(RepoPaths.SharedData))
        {
            Skip = $"needs the real rasters in {RepoPaths.SharedData}, which is absent on this machine";
        }
    }
}

/// <summary>A theory that needs the real rasters in <c>tests/data</c>.</summary>
public sealed class SharedDataTheoryAttribute : TheoryAttribute
{
    /// <summary>Marks the test and skips it when the shared data is missing.</summary>
    public SharedDataTheoryAttribute()
    {
        if (!Directory.Exists(RepoPaths.SharedData))
        {
            Skip = $"needs the real rasters in {RepoPaths.SharedData}, which is absent on this machine";
        }
    }
}
