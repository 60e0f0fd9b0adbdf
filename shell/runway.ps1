# runway for PowerShell: the AI-coding quota segment, at the front of the prompt.
# Load it at the end of $PROFILE (after starship's or oh-my-posh's line, if any) with:
#   Invoke-Expression (& runway init powershell ::ARGS:: | Out-String)
#
# It wraps the prompt function it finds (PowerShell's own, or the one a prompt tool set), as zoxide
# does, and gives that function and the next command $? and $LASTEXITCODE as they were before the
# prompt, as starship does. Loading it twice wraps nothing twice. Notices runway has for the shell
# come before a 0x1e byte: written above the prompt, once. runway's output is UTF-8 (PowerShell 5.1
# would read it in the console's code page). Untested: no PowerShell runs where runway is tested.

if ($global:__runway_hooked -ne 1) {
    $global:__runway_hooked = 1
    $global:__runway_prompt_old = $function:prompt

    function global:prompt {
        $runwayOk = $global:?
        $runwayCode = $global:LASTEXITCODE
        $runwaySeg = ''
        # Removed since the shell started: no segment, and no error at every prompt.
        if (Test-Path -LiteralPath ::RUNWAY:: -PathType Leaf) {
            $runwayEnc = [Console]::OutputEncoding
            [Console]::OutputEncoding = [Text.Encoding]::UTF8
            $runwaySeg = (& ::RUNWAY:: prompt --shell ansi --notices ::ARGS:: 2>$null) -join "`n"
            [Console]::OutputEncoding = $runwayEnc
        }
        $runwayAt = $runwaySeg.IndexOf([char]0x1e)
        if ($runwayAt -ge 0) {
            Write-Host $runwaySeg.Substring(0, $runwayAt).TrimEnd("`n")
            $runwaySeg = $runwaySeg.Substring($runwayAt + 1)
        }
        $global:LASTEXITCODE = $runwayCode
        $runwayBase = if ($null -ne $global:__runway_prompt_old) { & $global:__runway_prompt_old } else { 'PS> ' }
        if ($runwaySeg) { "$runwaySeg $runwayBase" } else { $runwayBase }
        # Last, after the prompt's text: $? cannot be set, so the last statement leaves it as it was (a
        # Write-Error that records nothing makes it false).
        $global:LASTEXITCODE = $runwayCode
        if (-not $runwayOk) { Write-Error '' -ErrorAction Ignore }
    }
}
