namespace ItChatBot.Slack.BlockKit;

/// <summary>Slack's Block Kit limits (protocols/slack.md §6). Exceeding one makes Slack refuse the whole message.</summary>
public static class BlockKitLimits
{
    public const int BlocksPerMessage = 50;
    public const int HeaderText = 150;
    public const int SectionText = 3000;
    public const int FieldsPerSection = 10;
    public const int FieldText = 2000;
    public const int ContextElements = 10;
    public const int ActionsElements = 25;
    public const int OverflowOptions = 5;

    /// <summary>The current reference says only "up to five"; older ones asked for at least two, which is kept to be safe.</summary>
    public const int OverflowOptionsMin = 2;
    public const int OptionText = 75;
    public const int OptionValue = 150;
    public const int ButtonText = 75;
    public const int ButtonValue = 2000;
    public const int ActionId = 255;
    public const int ConfirmTitle = 100;
    public const int ConfirmText = 300;
    public const int ConfirmButton = 30;
    public const int FallbackText = 4000;
    public const int ImageAltText = 2000;
    public const int InputLabel = 2000;
    public const int Placeholder = 150;
}
