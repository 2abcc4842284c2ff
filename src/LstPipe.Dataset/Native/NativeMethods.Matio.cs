using System.Runtime.InteropServices;

namespace LstPipe.Dataset.Native;

/// <summary>The matio 1.5 C API (matio.h). Every matio entry point the project calls is declared here.</summary>
internal static unsafe partial class NativeMethods
{
    private const string Matio = "matio";

    internal const int MAT_ACC_RDONLY = 0;
    internal const int MAT_FT_MAT5 = 0x0100;
    internal const int MAT_FT_MAT73 = 0x0200;
    internal const int MAT_C_DOUBLE = 6;
    internal const int MAT_C_SINGLE = 7;
    internal const int MAT_T_SINGLE = 7;
    internal const int MAT_F_DONT_COPY_DATA = 0x0001;
    internal const int MAT_COMPRESSION_NONE = 0;

    /// <summary>Offsets inside <c>matvar_t</c> on x86-64 (80 bytes): rank, data_type, class_type, isComplex, dims, name, data.</summary>
    internal const int MatVarRankOffset = 8;
    internal const int MatVarDataTypeOffset = 12;
    internal const int MatVarClassTypeOffset = 20;
    internal const int MatVarIsComplexOffset = 24;
    internal const int MatVarDimsOffset = 40;
    internal const int MatVarNameOffset = 48;
    internal const int MatVarDataOffset = 56;

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Mat_CreateVer(string path, string? header, int version);

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Mat_Open(string path, int mode);

    [LibraryImport(Matio, SetLastError = true)]
    internal static partial int Mat_Close(nint mat);

    [LibraryImport(Matio)]
    internal static partial int Mat_GetVersion(nint mat);

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Mat_VarCreate(string name, int classType, int dataType, int rank, nuint* dims, void* data, int options);

    [LibraryImport(Matio, SetLastError = true)]
    internal static partial int Mat_VarWrite(nint mat, nint variable, int compression);

    [LibraryImport(Matio)]
    internal static partial nint Mat_VarReadNext(nint mat);

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Mat_VarRead(nint mat, string name);

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Mat_VarReadInfo(nint mat, string name);

    [LibraryImport(Matio)]
    internal static partial void Mat_VarFree(nint variable);

    [LibraryImport(Matio, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mat_LogInitFunc(string programName, delegate* unmanaged[Cdecl]<int, byte*, void> logFunction);
}
