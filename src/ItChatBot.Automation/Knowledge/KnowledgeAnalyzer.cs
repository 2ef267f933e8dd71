using ItChatBot.Automation.Understanding;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.CharFilters;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.En;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Analysis.Util;
using Lucene.Net.Util;

namespace ItChatBot.Automation.Knowledge;

/// <summary>
/// Lucene's English analysis (standard tokenizer, possessives, lower case, stop words, Porter stemmer) with two
/// additions for questions asked in chat: the filler of a question ("how do I", "my", "please", "need") is left out like
/// a stop word, so that it neither lowers an article's share of the question's terms nor matches any article; and a few
/// words written in two ways are written one way before tokenizing ("Wi-Fi" and "wifi", "set up" and "setup").
/// </summary>
internal sealed class KnowledgeAnalyzer() : StopwordAnalyzerBase(Version, Stopwords)
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    private static readonly CharArraySet Stopwords = Build();

    private static readonly NormalizeCharMap Spellings = Spell(
        ("wi-fi", "wifi"), ("Wi-Fi", "wifi"), ("WI-FI", "wifi"), ("Wi-fi", "wifi"),
        ("e-mail", "email"), ("E-mail", "email"), ("e-mails", "emails"),
        ("set up", "setup"), ("Set up", "setup"), ("set-up", "setup"), ("setting up", "setup"), ("Setting up", "setup"),
        ("sign in", "signin"), ("Sign in", "signin"), ("sign-in", "signin"), ("Sign-in", "signin"),
        ("log in", "login"), ("Log in", "login"), ("log-in", "login"),
        ("time off", "timeoff"), ("day off", "timeoff"), ("days off", "timeoff"));

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

    protected override TextReader InitReader(string fieldName, TextReader reader) => new MappingCharFilter(Spellings, reader);

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

    private static NormalizeCharMap Spell(params (string From, string To)[] pairs)
    {
        var builder = new NormalizeCharMap.Builder();
        foreach (var (from, to) in pairs)
        {
            builder.Add(from, to);
        }

        return builder.Build();
    }
}
