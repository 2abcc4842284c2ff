namespace LstPipe.Core.Errors;

/// <summary>
/// Base of every error lstpipe reports to a user: a one-line message that names the file or value at fault
/// and, where there is one, the fix. The CLI prints <see cref="Exception.Message"/> and exits with <see cref="ExitCode"/>.
/// </summary>
public abstract class LstPipeException : Exception
{
    /// <summary>Creates the error with its one-line message.</summary>
    protected LstPipeException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <summary>The process exit code the CLI returns for this error.</summary>
    public abstract int ExitCode { get; }
}

/// <summary>The user asked for something that cannot be done as asked: a missing file, a bad option value,
/// a band that does not exist. Exit code 2.</summary>
public class UsageException : LstPipeException
{
    /// <summary>Exit code of usage errors.</summary>
    public const int Code = 2;

    /// <summary>Creates the error with its one-line message.</summary>
    public UsageException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <inheritdoc />
    public override int ExitCode => Code;
}

/// <summary>The input exists but its content is wrong or unreadable: a corrupt raster, a wrong CRS,
/// a scene full of nodata, a native library that failed. Exit code 1.</summary>
public class DataException : LstPipeException
{
    /// <summary>Exit code of data errors.</summary>
    public const int Code = 1;

    /// <summary>Creates the error with its one-line message.</summary>
    public DataException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }

    /// <inheritdoc />
    public override int ExitCode => Code;
}
