using System.Text.RegularExpressions;
using ItChatBot.Automation.Understanding;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// Lucene's English analysis (standard tokenizer, possessives, lower case, stop words, Porter stemmer) with two
/// additions for questions asked in chat: the filler of a question ("how do I", "my", "please", "need") is left out like
/// a stop word, so that it neither lowers an article's share of the question's terms nor matches any article. A few words
/// written in two ways ("Wi-Fi" and "wifi", "set up" and "setup") are written one way by <see cref="Spell"/> first.
/// </summary>
internal sealed class KnowledgeAnalyzer() : StopwordAnalyzerBase(Version, Stopwords)
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly CharArraySet Stopwords = Build();

    private static readonly Dictionary<string, string> Spellings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wi-fi"] = "wifi", ["e-mail"] = "email", ["e-mails"] = "emails",
        ["set up"] = "setup", ["set-up"] = "setup", ["setting up"] = "setup",
        ["sign in"] = "signin", ["sign-in"] = "signin", ["log in"] = "login", ["log-in"] = "login",
        ["time off"] = "timeoff", ["day off"] = "timeoff", ["days off"] = "timeoff",
    };

    /// <summary>
    /// The text with the words written two ways written one way. Done on the string, before the analyzer sees it: Lucene's
    /// <c>MappingCharFilter</c> did the same inside the analyzer but allocated some 20 KB for each text it read (indexing
    /// 5,000 articles allocated 576 MB with it and 70 MB with this; benchmarks/README.md, Automation).
    /// </summary>
    public static string Spell(string text) => TwoWayWords.Replace(text, m => Spellings[m.Value]);

    /// <summary>Any of <see cref="Spellings"/>' keys as a whole word, made from them so that the two cannot disagree.</summary>
    private static readonly Regex TwoWayWords = new(
        $@"\b(?:{string.Join('|', Spellings.Keys.Select(Regex.Escape))})\b",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.Compiled);

    protected override TokenStreamComponents CreateComponents(string fieldName, TextReader reader)
    {
        var source = new StandardTokenizer(m_matchVersion, reader);
        TokenStream result = new StandardFilter(m_matchVersion, source);
        result = new EnglishPossessiveFilter(m_matchVersion, result);
        result = new LowerCaseFilter(m_matchVersion, result);
        result = new StopFilter(m_matchVersion, result, m_stopwords);
        result = new PorterStemFilter(result);
        return new TokenStreamComponents(source, result);
    }

    private static CharArraySet Build()
    {
        var set = new CharArraySet(Version, EnglishAnalyzer.DefaultStopSet, ignoreCase: true);
        foreach (var word in TextNormalizer.FillerWords)
        {
            set.Add(word);
        }

        // The standard tokenizer keeps an apostrophe inside a word, where the classifier's normalizer drops it.
        foreach (var word in new[] { "i'm", "i've", "i'd", "can't", "cannot", "don't", "doesn't", "didn't", "won't", "isn't", "it's", "what's" })
        {
            set.Add(word);
        }

        return set;
    }
}
