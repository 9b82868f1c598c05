//! Static types a script can name: in declarations, casts, `instanceof`,
//! `new`, and as receivers of static calls.

use crate::error::ExceptionKind;

/// A named type: a base and array dimensions (`String[]` is `String`, 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ty {
    /// The element type.
    pub base: Base,
    /// Array dimensions.
    pub dims: u8,
}

impl Ty {
    /// `def`.
    pub const DEF: Ty = Ty {
        base: Base::Def,
        dims: 0,
    };

    /// A non-array type.
    pub const fn of(base: Base) -> Ty {
        Ty { base, dims: 0 }
    }

    /// True for `def` (no conversion on store).
    pub fn is_def(self) -> bool {
        self.base == Base::Def && self.dims == 0
    }
}

/// The classes and primitives the supported subset knows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[allow(missing_docs)]
pub enum Base {
    Def,
    Void,
    Boolean,
    Byte,
    Short,
    Char,
    Int,
    Long,
    Float,
    Double,
    Object,
    String,
    CharSequence,
    Map,
    HashMap,
    LinkedHashMap,
    List,
    ArrayList,
    Set,
    HashSet,
    LinkedHashSet,
    TreeMap,
    TreeSet,
    Collection,
    Iterable,
    AbstractCollection,
    AbstractList,
    AbstractSequentialList,
    AbstractMap,
    AbstractSet,
    AbstractQueue,
    Instant,
    ZonedDateTime,
    ZoneId,
    ZoneOffset,
    Duration,
    Cidr,
    ChronoUnit,
    Comparator,
    Number,
    BoxedInteger,
    BoxedLong,
    BoxedDouble,
    BoxedFloat,
    BoxedShort,
    BoxedByte,
    BoxedBoolean,
    BoxedCharacter,
    StringBuilder,
    StringTokenizer,
    Pattern,
    Matcher,
    MapEntry,
    Iterator,
    Stream,
    Math,
    Collections,
    Objects,
    Arrays,
    Processors,
    Json,
    Collectors,
    Exception(ExceptionKind),
}

impl Base {
    /// The type a script spells `name` (`int`, `String`, `Map.Entry`, …).
    pub fn from_name(name: &str) -> Option<Base> {
        use Base::*;
        Some(match name {
            "def" => Def,
            "void" => Void,
            "boolean" => Boolean,
            "byte" => Byte,
            "short" => Short,
            "char" => Char,
            "int" => Int,
            "long" => Long,
            "float" => Float,
            "double" => Double,
            "Object" => Object,
            "String" => String,
            "CharSequence" => CharSequence,
            "Map" => Map,
            "HashMap" => HashMap,
            "LinkedHashMap" => LinkedHashMap,
            "LinkedHashSet" => LinkedHashSet,
            "List" => List,
            "ArrayList" => ArrayList,
            "Set" => Set,
            "HashSet" => HashSet,
            "TreeMap" => TreeMap,
            "TreeSet" => TreeSet,
            "Collection" => Collection,
            "Iterable" => Iterable,
            "AbstractCollection" => AbstractCollection,
            "AbstractList" => AbstractList,
            "AbstractSequentialList" => AbstractSequentialList,
            "AbstractMap" => AbstractMap,
            "AbstractSet" => AbstractSet,
            "AbstractQueue" => AbstractQueue,
            "Instant" => Instant,
            "ZonedDateTime" => ZonedDateTime,
            "ZoneId" => ZoneId,
            "ZoneOffset" => ZoneOffset,
            "Duration" => Duration,
            "CIDR" => Cidr,
            "ChronoUnit" => ChronoUnit,
            "Comparator" => Comparator,
            "Number" => Number,
            "Integer" => BoxedInteger,
            "Long" => BoxedLong,
            "Double" => BoxedDouble,
            "Float" => BoxedFloat,
            "Short" => BoxedShort,
            "Byte" => BoxedByte,
            "Boolean" => BoxedBoolean,
            "Character" => BoxedCharacter,
            "StringBuilder" => StringBuilder,
            "StringTokenizer" => StringTokenizer,
            "Pattern" => Pattern,
            "Matcher" => Matcher,
            "Map.Entry" => MapEntry,
            "Iterator" => Iterator,
            "Stream" => Stream,
            "Math" => Math,
            "Collections" => Collections,
            "Objects" => Objects,
            "Arrays" => Arrays,
            "Processors" => Processors,
            "Json" => Json,
            "Collectors" => Collectors,
            other => Exception(ExceptionKind::from_java_name(other)?),
        })
    }

    /// Whether `name` is a class Painless knows that this subset does not
    /// support (so scripts using it get `unsupported: …`, not a wrong
    /// "cannot resolve symbol").
    pub fn known_unsupported(name: &str) -> bool {
        matches!(
            name,
            "LocalDate"
                | "LocalDateTime"
                | "LocalTime"
                | "OffsetDateTime"
                | "Period"
                | "DateTimeFormatter"
                | "ChronoField"
                | "DayOfWeek"
                | "Month"
                | "Date"
                | "Calendar"
                | "TimeZone"
                | "Locale"
                | "System"
                | "StrictMath"
                | "BigDecimal"
                | "BigInteger"
                | "MathContext"
                | "RoundingMode"
                | "UUID"
                | "Base64"
                | "Optional"
                | "OptionalInt"
                | "LinkedList"
                | "ArrayDeque"
                | "Deque"
                | "Queue"
                | "PriorityQueue"
                | "Stack"
                | "Vector"
                | "Hashtable"
                | "StringJoiner"
                | "StringBuffer"
                | "Random"
                | "BitSet"
                | "IntStream"
                | "LongStream"
                | "DoubleStream"
                | "Function"
                | "BiFunction"
                | "Predicate"
                | "Consumer"
                | "Supplier"
                | "DecimalFormat"
                | "NumberFormat"
                | "SimpleDateFormat"
                | "InetAddresses"
                | "CIDR"
                | "Metadata"
                | "WriteField"
                | "Debug"
        )
    }

    /// True for the eight primitives.
    pub fn is_primitive(self) -> bool {
        use Base::*;
        matches!(
            self,
            Boolean | Byte | Short | Char | Int | Long | Float | Double
        )
    }

    /// The name Painless prints: `int`, `java.lang.String`, `java.util.Map`.
    pub fn canonical_name(self) -> &'static str {
        use Base::*;
        match self {
            Def => "def",
            Void => "void",
            Boolean => "boolean",
            Byte => "byte",
            Short => "short",
            Char => "char",
            Int => "int",
            Long => "long",
            Float => "float",
            Double => "double",
            Object => "java.lang.Object",
            String => "java.lang.String",
            CharSequence => "java.lang.CharSequence",
            Map => "java.util.Map",
            HashMap => "java.util.HashMap",
            LinkedHashMap => "java.util.LinkedHashMap",
            LinkedHashSet => "java.util.LinkedHashSet",
            List => "java.util.List",
            ArrayList => "java.util.ArrayList",
            Set => "java.util.Set",
            HashSet => "java.util.HashSet",
            TreeMap => "java.util.TreeMap",
            TreeSet => "java.util.TreeSet",
            Collection => "java.util.Collection",
            Iterable => "java.lang.Iterable",
            AbstractCollection => "java.util.AbstractCollection",
            AbstractList => "java.util.AbstractList",
            AbstractSequentialList => "java.util.AbstractSequentialList",
            AbstractMap => "java.util.AbstractMap",
            AbstractSet => "java.util.AbstractSet",
            AbstractQueue => "java.util.AbstractQueue",
            Instant => "java.time.Instant",
            ZonedDateTime => "java.time.ZonedDateTime",
            ZoneId => "java.time.ZoneId",
            ZoneOffset => "java.time.ZoneOffset",
            Duration => "java.time.Duration",
            Cidr => "org.elasticsearch.painless.api.CIDR",
            ChronoUnit => "java.time.temporal.ChronoUnit",
            Comparator => "java.util.Comparator",
            Number => "java.lang.Number",
            BoxedInteger => "java.lang.Integer",
            BoxedLong => "java.lang.Long",
            BoxedDouble => "java.lang.Double",
            BoxedFloat => "java.lang.Float",
            BoxedShort => "java.lang.Short",
            BoxedByte => "java.lang.Byte",
            BoxedBoolean => "java.lang.Boolean",
            BoxedCharacter => "java.lang.Character",
            StringBuilder => "java.lang.StringBuilder",
            StringTokenizer => "java.util.StringTokenizer",
            Pattern => "java.util.regex.Pattern",
            Matcher => "java.util.regex.Matcher",
            MapEntry => "java.util.Map.Entry",
            Iterator => "java.util.Iterator",
            Stream => "java.util.stream.Stream",
            Math => "java.lang.Math",
            Collections => "java.util.Collections",
            Objects => "java.util.Objects",
            Arrays => "java.util.Arrays",
            Processors => "org.elasticsearch.ingest.common.Processors",
            Json => "org.elasticsearch.painless.api.Json",
            Collectors => "java.util.stream.Collectors",
            Exception(_) => "java.lang.Exception",
        }
    }

    /// The short name a script writes.
    pub fn painless_name(self) -> String {
        match self {
            Base::Exception(k) => k.java_name().to_owned(),
            Base::MapEntry => "Map.Entry".to_owned(),
            other => {
                let n = other.canonical_name();
                n.rsplit('.').next().unwrap_or(n).to_owned()
            }
        }
    }
}
