# A desktop notice on Windows: a toast from Windows PowerShell 5.1 (every Windows has it, and it
# reaches WinRT), shown as PowerShell's own app, since runway has no app id registered. runway puts
# the notice's text in the second text node (its quotes doubled) and runs this with -EncodedCommand.
$m = [Windows.UI.Notifications.ToastNotificationManager, Windows.UI.Notifications, ContentType = WindowsRuntime]
$x = $m::GetTemplateContent([Windows.UI.Notifications.ToastTemplateType]::ToastText02)
$t = $x.GetElementsByTagName('text')
$null = $t.Item(0).AppendChild($x.CreateTextNode('runway'))
$null = $t.Item(1).AppendChild($x.CreateTextNode('RUNWAY_TEXT'))
$id = '{1AC14E77-02E7-4E5D-B744-2EB1AE5198B7}\WindowsPowerShell\v1.0\powershell.exe'
$m::CreateToastNotifier($id).Show([Windows.UI.Notifications.ToastNotification]::new($x))
